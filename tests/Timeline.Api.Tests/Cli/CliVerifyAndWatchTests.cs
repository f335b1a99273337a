using System.Text.Json;
using Timeline.Api.Tests.Infrastructure;
using Timeline.Cli;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Cli;

/// <summary><c>timeline verify</c> on an untouched and a tampered log, and <c>timeline watch</c> receiving a change live.</summary>
public sealed class CliVerifyAndWatchTests(TimelineApp app) : ApiTest(app), IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly CliRunner _cli = CliRunner.For(app);

    [Fact]
    public async Task Verify_exits_0_on_the_untouched_log_and_4_naming_the_sequence_after_an_event_was_changed_in_the_database()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-cli-verify", "2024-01-01"));
        await App.Writer.WriteAsync("/api/policies/us-cli-verify/amendments", new { effectiveAt = "2024-03-01", set = new { fee = 2 } });
        var sequence = await Sql.ScalarAsync<long>(App.ConnectionString, "select max(seq_id) from timeline.mt_events where stream_id = 'us-cli-verify'");

        var ok = await _cli.RunAsync("verify");
        Assert.True(ok.ExitCode == ExitCodes.Ok, ok.ToString());
        Assert.Contains("verifies", ok.Output, StringComparison.Ordinal);

        await Sql.ExecuteAsync(App.ConnectionString,
            $"create table timeline.cli_saved as select seq_id, data from timeline.mt_events where seq_id = {sequence}; "
            + $"update timeline.mt_events set data = jsonb_set(data, '{{set,fee}}', '3') where seq_id = {sequence}");
        try
        {
            var broken = await _cli.RunAsync("verify");
            var json = await _cli.RunAsync("verify", "--json");

            Assert.True(broken.ExitCode == ExitCodes.VerificationFailed, broken.ToString());
            Assert.Contains($"does NOT verify from sequence {sequence}", broken.Output, StringComparison.Ordinal);
            Assert.True(json.ExitCode == ExitCodes.VerificationFailed, json.ToString());
            Assert.False(json.Json.GetProperty("ok").GetBoolean());
            Assert.Equal(sequence, json.Json.GetProperty("firstFailedSequence").GetInt64());
        }
        finally
        {
            await Sql.ExecuteAsync(App.ConnectionString,
                "update timeline.mt_events e set data = s.data from timeline.cli_saved s where e.seq_id = s.seq_id; drop table timeline.cli_saved");
        }

        Assert.Equal(ExitCodes.Ok, (await _cli.RunAsync("verify")).ExitCode);
    }

    [Fact]
    public async Task Watch_shows_a_change_written_while_it_runs_and_stops_with_exit_code_0_when_cancelled()
    {
        var output = new CapturedWriter();
        var error = new CapturedWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var watch = _cli.RunAsync(["watch", "--topic", "cli-watch", "--json"], null, stop.Token, output, error);
        try
        {
            await Eventually.HoldsAsync(() => error.ToString().Contains("Watching changes", StringComparison.Ordinal) || watch.IsCompleted, Wait, () => $"watch did not start: {error}");
            Assert.False(watch.IsCompleted, $"watch ended: {error}");

            await App.Writer.WriteAsync("/api/policies", Issue("us-cli-watch-other", "2024-01-01", ("topics", new[] { "cli-other" })));
            var written = await App.Writer.WriteAsync("/api/policies", Issue("us-cli-watch", "2024-01-01", ("topics", new[] { "cli-watch" })));

            await Eventually.HoldsAsync(() => output.ToString().Contains("us-cli-watch", StringComparison.Ordinal), Wait, () => $"no change shown: {output}\n{error}");
            var change = JsonDocument.Parse(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[0]).RootElement;
            Assert.Equal(written.EventIds[0], change.GetProperty("eventId").GetGuid());
            Assert.DoesNotContain("us-cli-watch-other", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
        }

        var result = await watch;
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("Stopped.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_without_json_prints_one_readable_line_per_change()
    {
        var output = new CapturedWriter();
        var error = new CapturedWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var watch = _cli.RunAsync(["watch", "--topic", "cli-watch-plain"], null, stop.Token, output, error);
        try
        {
            await Eventually.HoldsAsync(() => error.ToString().Contains("Watching changes", StringComparison.Ordinal) || watch.IsCompleted, Wait, () => $"watch did not start: {error}");
            await App.Writer.WriteAsync("/api/policies", Issue("us-cli-watch-plain", "2024-01-01", ("topics", new[] { "cli-watch-plain" })));
            await App.Writer.WriteAsync("/api/policies/us-cli-watch-plain/amendments", new { effectiveAt = "2024-03-01", set = new { fee = 2 } });

            await Eventually.HoldsAsync(() => output.ToString().Contains("amended", StringComparison.Ordinal), Wait, () => $"no change shown: {output}\n{error}");
        }
        finally
        {
            await stop.CancelAsync();
        }

        var lines = (await watch).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("us-cli-watch-plain issued  effective 2024-01-01", lines[0], StringComparison.Ordinal);
        Assert.Contains("us-cli-watch-plain amended  effective 2024-03-01", lines[1], StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
