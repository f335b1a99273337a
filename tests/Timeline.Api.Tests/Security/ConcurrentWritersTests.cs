using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Timeline.Api.Tests.Infrastructure;
using Timeline.Api.Tests.ReadModel;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Security;

/// <summary>The service with write rate limiting off, so the writers meet each other and not the limiter.</summary>
public sealed class LoadApp(PostgresServer postgres) : TimelineApp(postgres)
{
    protected override void Configure(IWebHostBuilder host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host.UseSetting("Timeline:RateLimits:Writes:PerMinute", "0");
    }
}

/// <summary>
/// Sixteen writers for a bounded time (TIMELINE_LOAD_SECONDS, default 10): eight amend one shared instrument with
/// If-Match, eight issue and amend instruments of their own. Every acknowledged event is stored exactly once and
/// nothing unacknowledged is stored; every conflict is a 409 or 412 that a retry (read the version again) gets past;
/// the shared stream's versions have no gap; the audit chain verifies; and the read model answers as the reference fold.
/// </summary>
public sealed class ConcurrentWritersTests(LoadApp app) : IClassFixture<LoadApp>
{
    private const int Writers = 16;
    private const int SharedWriters = 8;
    private const int MaxAttempts = 2_000;
    private const string Shared = "load-shared";

    private readonly ConcurrentQueue<Guid> _acknowledged = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentDictionary<string, int> _ownInstruments = new();
    private int _attempted;
    private int _conflicts;
    private int _retries;
    private int _sharedWrites;

    private static TimeSpan Duration =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("TIMELINE_LOAD_SECONDS"), out var seconds) ? seconds : 10);

    [Fact]
    public async Task Sixteen_writers_lose_and_duplicate_nothing_and_every_conflict_is_a_409_or_412_that_a_retry_gets_past()
    {
        app.RequirePostgres();
        var seed = await app.Writer.WriteAsync("/api/policies", Issue(Shared, "2024-01-01"));
        var deadline = TimeProvider.System.GetTimestamp() + (long)(Duration.TotalSeconds * TimeProvider.System.TimestampFrequency);
        bool Running() => TimeProvider.System.GetTimestamp() < deadline;

        var started = TimeProvider.System.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(
            () => writer < SharedWriters ? AmendSharedAsync(writer, Running) : WriteOwnAsync(writer, Running),
            TestContext.Current.CancellationToken)));
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        Assert.True(_failures.IsEmpty, $"{_failures.Count} writes went wrong:{Environment.NewLine}{string.Join(Environment.NewLine, _failures.Take(20))}");
        var acknowledged = _acknowledged.ToList();
        Assert.Equal(acknowledged.Count, acknowledged.Distinct().Count());
        var stored = await StoredAsync();
        var expected = acknowledged.Concat(seed.EventIds).Order().ToList();
        Assert.Equal(expected, stored.Select(e => e.EventId).Order().ToList()); // none lost, none extra, each once

        var sharedVersions = stored.Where(e => e.StreamId == Shared).Select(e => e.Version).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 1 + _sharedWrites).Select(v => (long)v), sharedVersions);

        var audit = await app.Anonymous.GetJsonAsync("/api/audit/verify");
        Assert.True(audit.GetProperty("ok").GetBoolean(), $"the audit chain does not verify: {audit}");
        Assert.Equal(stored.Count, audit.GetProperty("events").GetInt64());

        var ids = new[] { Shared }.Concat(_ownInstruments.Keys.Order(StringComparer.Ordinal).Take(12)).ToList();
        var histories = await ReadModelAgreement.HistoriesAsync(app, ids);
        var agreement = new ReadModelAgreement(app);
        var random = new Random(16);
        var pairs = 0;
        foreach (var (id, history) in histories)
        {
            pairs += await agreement.CheckInstrumentAsync(id, history, random, pairs: id == Shared ? 40 : 6, timelines: 40);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Writers} writers for {elapsed.TotalSeconds:F1} s: {_attempted} writes attempted, {acknowledged.Count} events acknowledged "
            + $"({_sharedWrites} on the shared instrument, {_ownInstruments.Count} instruments of their own), {_conflicts} conflicts (409/412), "
            + $"{_retries} retries, {stored.Count} events stored, read model checked at {pairs} (at, asOf) pairs on {ids.Count} instruments");
    }

    /// <summary>Amends the shared instrument with If-Match; on a conflict reads its version again and retries the same write.</summary>
    private async Task AmendSharedAsync(int writer, Func<bool> running)
    {
        using var client = app.CreateClient(TimelineApp.ApiKey);
        var version = await VersionAsync(client, Shared);
        for (var n = 0; running(); n++)
        {
            var body = new { effectiveAt = "2024-06-01", set = new Dictionary<string, int> { [$"load.w{writer}"] = n } };
            var answer = await WriteWithRetriesAsync(client, $"/api/policies/{Shared}/amendments", body, $"w{writer}-{n}", version, () => VersionAsync(client, Shared));
            if (answer is null)
            {
                return;
            }

            Interlocked.Increment(ref _sharedWrites);
            version = answer.Value;
        }
    }

    /// <summary>Issues an instrument of its own every fourth write and amends it with If-Match in between.</summary>
    private async Task WriteOwnAsync(int writer, Func<bool> running)
    {
        using var client = app.CreateClient(TimelineApp.ApiKey);
        string? current = null;
        long version = 0;
        for (var n = 0; running(); n++)
        {
            long? answer;
            if (n % 4 == 0)
            {
                current = $"load-w{writer}-{n}";
                answer = await WriteWithRetriesAsync(client, "/api/policies", Issue(current, "2024-01-01"), $"w{writer}-{n}", null, () => Task.FromResult(0L));
                _ownInstruments[current] = writer;
            }
            else
            {
                var id = current!;
                var body = new { effectiveAt = $"2024-0{1 + (n % 4)}-15", set = new Dictionary<string, int> { ["load.n"] = n } };
                answer = await WriteWithRetriesAsync(client, $"/api/policies/{id}/amendments", body, $"w{writer}-{n}", version, () => VersionAsync(client, id));
            }

            if (answer is null)
            {
                return;
            }

            version = answer.Value;
        }
    }

    /// <summary>One logical write: posted until it is acknowledged, reading the version again after each conflict. Null when it failed.</summary>
    private async Task<long?> WriteWithRetriesAsync(HttpClient client, string path, object body, string idempotencyKey, long? version, Func<Task<long>> readVersion)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            Interlocked.Increment(ref _attempted);
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: TimelineApp.Json) };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            if (version is { } expected)
            {
                request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{expected}\""));
            }

            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var json = await response.ReadJsonAsync();
                foreach (var eventId in json.GetProperty("eventIds").EnumerateArray())
                {
                    _acknowledged.Enqueue(eventId.GetGuid());
                }

                return json.GetProperty("version").GetInt64();
            }

            if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed
                && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                Interlocked.Increment(ref _conflicts);
                Interlocked.Increment(ref _retries);
                version = version is null ? null : await readVersion();
                continue;
            }

            _failures.Enqueue($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
            return null;
        }

        _failures.Enqueue($"POST {path} ({idempotencyKey}) still conflicted after {MaxAttempts} attempts");
        return null;
    }

    private static async Task<long> VersionAsync(HttpClient client, string id) =>
        (await client.GetJsonAsync($"/api/policies/{id}")).GetProperty("version").GetInt64();

    private async Task<List<(Guid EventId, string StreamId, long Version)>> StoredAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand("select id, stream_id, version from timeline.mt_events", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var stored = new List<(Guid, string, long)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            stored.Add((reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return stored;
    }
}
