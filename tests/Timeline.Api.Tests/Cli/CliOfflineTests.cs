using System.Globalization;
using System.Net;
using System.Text;
using System.Threading.Channels;
using Timeline.Api.Database.EmbeddedPostgres;
using Timeline.Cli;

namespace Timeline.Api.Tests.Cli;

/// <summary>
/// What the command line does without a working service: nothing listening (exit 3), a malformed command line (exit 2,
/// nothing sent), a failing service (exit 5), and the change stream resuming with Last-Event-ID after the connection drops.
/// </summary>
public sealed class CliOfflineTests
{
    [Fact]
    public async Task With_nothing_listening_a_command_exits_3_and_says_which_address_it_tried_and_how_to_start_the_service()
    {
        var server = $"http://127.0.0.1:{FreeTcpPort.OnLoopback()}";
        using var cli = new CliRunner(handler: null);

        var result = await cli.RunAsync("at", "2025-09-21", "--server", server);

        Assert.True(result.ExitCode == ExitCodes.Unreachable, result.ToString());
        Assert.Contains(server, result.Error, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/Timeline.Api", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("at", "21/09/2025")]
    [InlineData("show", "us-eo-14110", "--as-of", "yesterday")]
    [InlineData("diff", "2025-01-01")]
    [InlineData("at", "2025-09-21", "--no-such-option")]
    [InlineData("amend", "us-eo-14110", "--effective-at", "2025-02-30")]
    [InlineData("at", "2025-09-21", "--server", "localhost:5080")]
    public async Task A_malformed_command_line_exits_2_says_where_help_is_and_sends_nothing(params string[] args)
    {
        var requests = new RecordingHandler(_ => throw new InvalidOperationException("nothing may be sent"));
        using var cli = new CliRunner(() => requests);

        var result = await cli.RunAsync(args);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--help", result.Error, StringComparison.Ordinal);
        Assert.Empty(requests.Seen);
    }

    [Fact]
    public async Task A_body_file_that_is_not_JSON_is_a_usage_error_and_sends_nothing()
    {
        var requests = new RecordingHandler(_ => throw new InvalidOperationException("nothing may be sent"));
        using var cli = new CliRunner(() => requests);

        var result = await cli.RunAsync(["issue", "--file", "-"], "{ not json", TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("is not JSON", result.Error, StringComparison.Ordinal);
        Assert.Empty(requests.Seen);
    }

    [Fact]
    public async Task A_service_that_fails_or_is_not_the_Timeline_API_exits_5()
    {
        using var failing = new CliRunner(() => new RecordingHandler(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError)));
        using var other = new CliRunner(() => new RecordingHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>a web page</html>", Encoding.UTF8, "text/html") }));

        var failed = await failing.RunAsync("verify");
        var wrong = await other.RunAsync("verify");

        Assert.True(failed.ExitCode == ExitCodes.ServiceFailed, failed.ToString());
        Assert.Contains("500", failed.Error, StringComparison.Ordinal);
        Assert.True(wrong.ExitCode == ExitCodes.ServiceFailed, wrong.ToString());
        Assert.Contains("is --server the Timeline service?", wrong.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_exit_codes()
    {
        using var cli = new CliRunner(handler: null);

        var result = await cli.RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("Exit codes:", result.Output, StringComparison.Ordinal);
        Assert.Contains("3    cannot reach the service", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_reconnects_after_the_stream_closes_and_resumes_after_the_last_change_it_showed()
    {
        // The first connection delivers changes 5 and 6 and closes; the second must ask for what follows 6.
        var second = new TaskCompletionSource<HttpRequestMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var open = Channel.CreateUnbounded<string>();
        var calls = 0;
        var requests = new RecordingHandler(request =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                return Stream($"retry: 10\n\n{Change(5, "us-a")}{Change(6, "us-b")}");
            }

            second.TrySetResult(request);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new ChannelStream(open.Reader)) };
        });
        using var cli = new CliRunner(() => requests);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var output = new CapturedWriter();
        var watch = cli.RunAsync(["watch", "--json"], null, stop.Token, output);

        var resumed = await second.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        await open.Writer.WriteAsync(Change(7, "us-c"), TestContext.Current.CancellationToken);
        await Infrastructure.Eventually.HoldsAsync(() => output.ToString().Contains("us-c", StringComparison.Ordinal), TimeSpan.FromSeconds(20), output.ToString);
        await stop.CancelAsync();
        var result = await watch;

        Assert.False(requests.Seen[0].Headers.Contains("Last-Event-ID"), "the first connection starts from now");
        Assert.Equal("6", Assert.Single(resumed.Headers.GetValues("Last-Event-ID")));
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(["us-a", "us-b", "us-c"], result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("policyId").GetString()));
        Assert.Contains("Reconnected; resuming after change 6", result.Error, StringComparison.Ordinal);
    }

    private static string Change(long sequence, string policyId) =>
        $"id: {sequence.ToString(CultureInfo.InvariantCulture)}\nevent: policy-changed\ndata: {{\"policyId\":\"{policyId}\",\"globalSequence\":{sequence.ToString(CultureInfo.InvariantCulture)}}}\n\n";

    private static HttpResponseMessage Stream(string text) =>
        new(HttpStatusCode.OK) { Content = new StringContent(text, Encoding.UTF8, "text/event-stream") };

    /// <summary>Answers every request with the given function and keeps the requests it saw.</summary>
    private sealed class RecordingHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Seen { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Seen)
            {
                Seen.Add(request);
            }

            return Task.FromResult(answer(request));
        }
    }

    /// <summary>A response body that stays open and yields what the test writes, like a live event stream.</summary>
    private sealed class ChannelStream(ChannelReader<string> reader) : Stream
    {
        private byte[] _pending = [];

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_pending.Length == 0)
            {
                _pending = Encoding.UTF8.GetBytes(await reader.ReadAsync(cancellationToken));
            }

            var count = Math.Min(buffer.Length, _pending.Length);
            _pending.AsMemory(0, count).CopyTo(buffer);
            _pending = _pending[count..];
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
