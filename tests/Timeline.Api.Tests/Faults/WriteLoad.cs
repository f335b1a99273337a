using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Faults;

/// <summary>
/// Concurrent writers and readers against one or more service instances while a fault is injected, recording every
/// answer. Each writer owns its instruments, so writers never conflict: writer <c>w</c> issues <c>{prefix}-w{w}-{n}</c>,
/// which rescinds <c>{prefix}-w{w}-{n-1}</c> (one command, events in two streams), then amends it twice. Every write
/// carries an idempotency key; with <see cref="RetryUntilAcknowledged"/> a write that got no answer or a 503 is sent
/// again with the same key (on the next instance) until it is acknowledged, else the writer stops at its first
/// failure, leaving that write's outcome unknown.
/// </summary>
public sealed class WriteLoad : IAsyncDisposable
{
    public const int StepsPerInstrument = 3;

    /// <summary>A client's pause between retries of a failed write: a backoff, not synchronisation.</summary>
    private static readonly TimeSpan RetryBackoff = TimeSpan.FromMilliseconds(100);

    private readonly string _prefix;
    private readonly string _topic;
    private readonly int _writers;
    private readonly int _readers;
    private readonly HttpClient _client;
    private readonly ConcurrentQueue<Answer> _answers = new();
    private readonly ConcurrentDictionary<string, Acknowledged> _acknowledged = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly string?[] _latest;
    private Uri[] _targets;
    private Task? _running;

    public WriteLoad(string prefix, string topic, int writers, int readers, IReadOnlyList<Uri> targets, TimeSpan requestTimeout)
    {
        _prefix = prefix;
        _topic = topic;
        _writers = writers;
        _readers = readers;
        _targets = [.. targets];
        _latest = new string?[writers];
        _client = new HttpClient { Timeout = requestTimeout };
        _client.DefaultRequestHeaders.Add("X-Api-Key", TimelineHost.ApiKey);
    }

    /// <summary>Whether a failed write is sent again (same idempotency key) until acknowledged.</summary>
    public bool RetryUntilAcknowledged { get; init; } = true;

    /// <summary>Every answer (or its absence), writes and reads, in the order they came.</summary>
    public IReadOnlyList<Answer> Answers => [.. _answers];

    /// <summary>The writes acknowledged with a 2xx, by idempotency key.</summary>
    public IReadOnlyCollection<Acknowledged> AcknowledgedWrites => [.. _acknowledged.Values];

    public int AcknowledgedCount => _acknowledged.Count;

    /// <summary>The event ids of every acknowledged write.</summary>
    public IReadOnlyCollection<Guid> AcknowledgedEventIds => [.. _acknowledged.Values.SelectMany(write => write.EventIds)];

    /// <summary>Writes the load's writers tried: each instrument issued, rescinding its predecessor, with its amendments.</summary>
    public string Prefix => _prefix;

    public int Writers => _writers;

    /// <summary>Sends the next requests to <paramref name="targets"/> (an instance killed, another started).</summary>
    public void TargetOnly(IReadOnlyList<Uri> targets) => Volatile.Write(ref _targets, [.. targets]);

    public void Start() =>
        _running = Task.WhenAll(
            Enumerable.Range(0, _writers).Select(w => Task.Run(() => WriteAsync(w)))
                .Concat(Enumerable.Range(0, _readers).Select(r => Task.Run(() => ReadAsync(r)))));

    /// <summary>Stops every writer and reader, letting requests in flight finish.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "VSTHRD003", Justification = "The writers and readers were started by this load.")]
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        if (_running is not null)
        {
            await _running;
        }
    }

    /// <summary>Waits until <paramref name="count"/> more writes than now are acknowledged.</summary>
    public Task AcknowledgedMoreAsync(int count, TimeSpan timeout)
    {
        var target = AcknowledgedCount + count;
        return Eventually.HoldsAsync(() => AcknowledgedCount >= target, timeout, () => $"{count} more writes acknowledged; {AcknowledgedCount - target + count} so far. {Summary()}");
    }

    /// <summary>Counts by outcome, for the test output.</summary>
    public string Summary()
    {
        var answers = Answers;
        var byOutcome = answers.GroupBy(a => $"{(a.IsWrite ? "write" : "read")} {a.Outcome}").OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}: {g.Count()}");
        return $"{answers.Count} requests ({answers.Count(a => a.IsWrite)} writes, {AcknowledgedCount} acknowledged; {string.Join(", ", byOutcome)})";
    }

    /// <summary>The instrument a write step is about, and whether the step issues it.</summary>
    public string InstrumentOf(int writer, int instrument) => $"{_prefix}-w{writer}-{instrument}";

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await StopAsync();
        }

        _client.Dispose();
        _stopping.Dispose();
    }

    private async Task WriteAsync(int writer)
    {
        for (var step = 0; !_stopping.IsCancellationRequested; step++)
        {
            var instrument = step / StepsPerInstrument;
            var id = InstrumentOf(writer, instrument);
            var issue = step % StepsPerInstrument == 0;
            var (path, body) = issue
                ? ("/api/policies", IssueBody(writer, instrument))
                : ($"/api/policies/{id}/amendments", new { effectiveAt = Instant(IssuedAt(instrument).AddHours(step % StepsPerInstrument)), set = new { step } });
            var key = $"{id}/{step}";
            for (var attempt = 0; ; attempt++)
            {
                var answer = await SendAsync(HttpMethod.Post, Target(writer + attempt), path, body, key);
                if (answer.Status is >= 200 and < 300)
                {
                    _acknowledged[key] = new Acknowledged(key, id, issue && instrument > 0 ? InstrumentOf(writer, instrument - 1) : null, answer.EventIds);
                    if (issue)
                    {
                        Volatile.Write(ref _latest[writer], id);
                    }

                    break;
                }

                if (!RetryUntilAcknowledged || _stopping.IsCancellationRequested || answer.Status is >= 400 and < 500)
                {
                    return; // its outcome stays unknown (or a refusal, which the test reports)
                }

                try
                {
                    await Task.Delay(RetryBackoff, _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Each instrument takes effect two days after its predecessor, which it rescinds then; its amendments come in between.</summary>
    private static DateTimeOffset IssuedAt(int instrument) => new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(2 * instrument);

    private object IssueBody(int writer, int instrument)
    {
        var body = Issue(InstrumentOf(writer, instrument), Instant(IssuedAt(instrument)), ("topics", new[] { _topic }));
        if (instrument > 0)
        {
            body["rescinds"] = new[] { InstrumentOf(writer, instrument - 1) };
        }

        return body;
    }

    private async Task ReadAsync(int reader)
    {
        for (var i = 0; !_stopping.IsCancellationRequested; i++)
        {
            var path = i % 4 == 3
                ? $"/api/policies?topic={_topic}&status=any"
                : Volatile.Read(ref _latest[(reader + i) % _writers]) is { } id ? $"/api/policies/{id}" : $"/api/policies?topic={_topic}";
            await SendAsync(HttpMethod.Get, Target(reader + i), path, null, null);
        }
    }

    private Uri Target(int index)
    {
        var targets = Volatile.Read(ref _targets);
        return targets[index % targets.Length];
    }

    private async Task<Answer> SendAsync(HttpMethod method, Uri target, string path, object? body, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(method, new Uri(target, path));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: TimelineApp.Json);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var started = Stopwatch.GetTimestamp();
        Answer answer;
        try
        {
            // Not cancelled by the stop: a request in flight finishes, so that its answer is known.
            using var response = await _client.SendAsync(request, CancellationToken.None);
            var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
            answer = new Answer(
                method == HttpMethod.Post, target, path, (int)response.StatusCode, Stopwatch.GetElapsedTime(started),
                response.Content.Headers.ContentType?.MediaType, ProblemType(text), EventIds(response.StatusCode, text), text.Length > 300 ? text[..300] : text);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            answer = new Answer(method == HttpMethod.Post, target, path, 0, Stopwatch.GetElapsedTime(started), null, null, [], exception.GetType().Name + ": " + exception.Message);
        }

        _answers.Enqueue(answer);
        return answer;
    }

    private static string? ProblemType(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("type", out var type) ? type.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Guid[] EventIds(HttpStatusCode status, string text)
    {
        if ((int)status is < 200 or >= 300 || text.Length == 0)
        {
            return [];
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.TryGetProperty("eventIds", out var ids) ? [.. ids.EnumerateArray().Select(id => id.GetGuid())] : [];
    }

    /// <summary>One request's answer: status 0 when none came (refused, reset, timed out).</summary>
    public sealed record Answer(
        bool IsWrite, Uri Target, string Path, int Status, TimeSpan Took, string? ContentType, string? ProblemType, IReadOnlyList<Guid> EventIds, string Body)
    {
        public string Outcome => Status == 0 ? "no answer" : Status.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>What a client may expect while the database is away: a 503 problem saying so.</summary>
        public bool IsUnavailableProblem => Status == 503 && ContentType == "application/problem+json";
    }

    /// <summary>An acknowledged write: its instrument, the instrument it rescinded (if any) and the events it answered with.</summary>
    public sealed record Acknowledged(string Key, string PolicyId, string? Rescinded, IReadOnlyList<Guid> EventIds);
}
