using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Security;

/// <summary>
/// The committed corpus of hostile requests (HostileCorpus/corpus.jsonl) replayed against the real service, Kestrel
/// included, as its own process on a seeded store: every answer is a 4xx application/problem+json (never a 500, never
/// an empty body, never a hang: each request has its own deadline), and afterwards the log holds the same events with
/// the same audit head hash.
/// </summary>
public sealed class HostileCorpusTests(PostgresServer postgres)
{
    private static readonly TimeSpan PerRequest = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_hostile_request_is_a_4xx_problem_and_the_store_and_its_audit_head_are_unchanged()
    {
        var database = await postgres.CreateDatabaseAsync("timeline_hostile");
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Timeline"] = database,
            ["Timeline__ApiKeys__0__Name"] = TimelineHost.KeyName,
            ["Timeline__ApiKeys__0__Key"] = TimelineHost.ApiKey,
            // The corpus sends hundreds of writes with a valid key: each must meet validation, not the rate limiter.
            ["Timeline__RateLimits__Writes__PerMinute"] = "0",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        using var client = new HttpClient { BaseAddress = service.Address };
        client.DefaultRequestHeaders.Add("X-Api-Key", TimelineHost.ApiKey);
        await SeedAsync(client);
        var before = await StoreAsync(client, database);

        var corpus = HostileRequest.Corpus();
        Assert.True(corpus.Count >= 200, $"the corpus should hold at least 200 requests, not {corpus.Count}");
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var started = TimeProvider.System.GetTimestamp();
        var host = $"{service.Address.Host}:{service.Address.Port}";
        await Parallel.ForEachAsync(
            corpus,
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = TestContext.Current.CancellationToken },
            async (request, cancellationToken) =>
            {
                var answer = await RawHttp.ExchangeAsync(service.Address, request.Bytes(host, TimelineHost.ApiKey), PerRequest, cancellationToken);
                var problem = Judge(request, answer);
                if (problem is not null)
                {
                    failures.Enqueue($"{request.Name}: {problem}");
                }

                statuses.AddOrUpdate(answer?.Status ?? 0, 1, (_, n) => n + 1);
            });
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        Assert.True(failures.IsEmpty, $"{failures.Count} of {corpus.Count} answers were wrong:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Order(StringComparer.Ordinal))}");
        var after = await StoreAsync(client, database);
        Assert.Equal(before, after);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{corpus.Count} hostile requests in {elapsed.TotalSeconds:F1} s, answers by status: "
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))
            + $"; store unchanged at {after.Events} events, head {after.HeadHash}");
    }

    /// <summary>What is wrong with the answer, or null when it is the refusal the corpus expects.</summary>
    private static string? Judge(HostileRequest request, RawHttp.Answer? answer)
    {
        if (answer is null)
        {
            return $"no answer within {PerRequest.TotalSeconds:F0} s";
        }

        var expected = request.Status is { } status ? answer.Status == status : answer.Status is >= 400 and < 500;
        if (!expected || answer.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) != true)
        {
            return $"{answer.Status} {answer.ContentType ?? "(no content type)"} {Shorten(answer.Body)}";
        }

        try
        {
            using var json = JsonDocument.Parse(answer.Body);
            return json.RootElement.TryGetProperty("status", out var inBody) && inBody.GetInt32() == answer.Status
                ? null
                : $"{answer.Status} with a problem whose status is not {answer.Status}: {Shorten(answer.Body)}";
        }
        catch (JsonException exception)
        {
            return $"{answer.Status} problem+json that is not JSON ({exception.Message}): {Shorten(answer.Body)}";
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";

    /// <summary>A few instruments, one written with the idempotency key the corpus reuses with other bodies.</summary>
    private static async Task SeedAsync(HttpClient client)
    {
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/policies")
        {
            Content = JsonContent.Create(Issue("hc-seed-a", "2024-01-01", ("title", "Seed A")), options: TimelineApp.Json),
        })
        {
            request.Headers.Add("Idempotency-Key", "hc-seed-key");
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode, $"seeding answered {(int)response.StatusCode}");
        }

        await client.WriteAsync("/api/policies", Issue("hc-seed-b", "2024-01-01"));
        await client.WriteAsync("/api/policies", Issue("hc-seed-c", "2024-01-01"));
        await client.WriteAsync("/api/policies/hc-seed-c/amendments", new { effectiveAt = "2024-03-01", set = new { k = 1 } });
    }

    private static async Task<StoreState> StoreAsync(HttpClient client, string database)
    {
        var audit = await client.GetJsonAsync("/api/audit/verify");
        Assert.True(audit.GetProperty("ok").GetBoolean(), $"the audit chain does not verify: {audit}");
        return new StoreState(
            audit.GetProperty("events").GetInt64(),
            audit.Text("headHash"),
            await Sql.ScalarAsync<long>(database, "select count(*) from timeline.mt_events"),
            await Sql.ScalarAsync<long>(database, "select count(*) from timeline.policy_versions"),
            await Sql.ScalarAsync<long>(database, "select count(*) from timeline.mt_streams"));
    }

    private sealed record StoreState(long Events, string HeadHash, long StoredEvents, long VersionRows, long Streams);
}
