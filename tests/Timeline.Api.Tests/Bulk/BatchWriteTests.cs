using System.Net;
using System.Text.Json;
using Npgsql;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Bulk;

/// <summary>
/// <c>POST /api/batches</c> is the same write path in bulk: the same commands give the same log and read model
/// as one-by-one writes, a refused item writes nothing of the batch, and a retried batch writes nothing twice.
/// </summary>
public sealed class BatchWriteTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task A_batch_leaves_the_same_read_model_and_chain_as_the_same_writes_one_by_one()
    {
        var oneByOne = new List<WriteAnswer>();
        foreach (var (write, policyId, body) in Record("one-"))
        {
            oneByOne.Add(await App.Writer.WriteAsync(PathOf(write, policyId), body));
        }

        await App.Writer.WriteAsync("/api/policies/one-a/corrections", Correction(oneByOne[1].EventIds[0]));
        await App.Writer.WriteAsync("/api/policies/one-a/amendments", new { effectiveAt = "2023-01-01", set = new { after = "correction" } });
        await App.Writer.WriteAsync("/api/policies", Issue("one-e", "2026-01-01", ("rescinds", new[] { "one-a" })));

        var batch = await App.Writer.WriteBatchAsync(Record("bat-").Select(w => BatchItem(w.Write, w.PolicyId, w.Body)));
        var amended = batch.GetProperty("items")[1].GetProperty("eventIds")[0].GetGuid();
        await App.Writer.WriteBatchAsync([
            BatchItem("correct", "bat-a", Correction(amended)),
            BatchItem("amend", "bat-a", new { effectiveAt = "2023-01-01", set = new { after = "correction" } }),
        ]);
        // An issue that rescinds an instrument stored by an earlier batch (loaded with the batch's own instruments).
        await App.Writer.WriteBatchAsync([BatchItem("issue", "bat-e", Issue("bat-e", "2026-01-01", ("rescinds", new[] { "bat-a" })))]);

        var one = await DigestAsync("one-");
        Assert.True(one.Count > 15, $"the record should give a non-trivial read model, got {one.Count} rows");
        Assert.Equal(one, await DigestAsync("bat-"));
        Assert.Equal(
            await Sql.ScalarAsync<long>(App.ConnectionString, "select count(*) from timeline.mt_events where stream_id like 'one-%'"),
            await Sql.ScalarAsync<long>(App.ConnectionString, "select count(*) from timeline.mt_events where stream_id like 'bat-%'"));
        var verified = await App.Writer.GetJsonAsync("/api/audit/verify");
        Assert.True(verified.GetProperty("ok").GetBoolean(), verified.ToString());
    }

    [Fact]
    public async Task A_refused_item_refuses_the_whole_batch_and_nothing_of_it_is_written()
    {
        var before = await App.CountAsync();

        using var response = await App.Writer.PostAsync("/api/batches", new
        {
            items = new[]
            {
                BatchItem("issue", null, Issue("ref-x", "2024-01-01")),
                BatchItem("amend", "ref-x", new { effectiveAt = "2024-02-01", set = new { fee = 1 } }),
                BatchItem("suspend", "ref-x", new { effectiveAt = "2023-06-01", reason = "before it took effect" }),
            },
        });

        var problem = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(2, problem.GetProperty("index").GetInt32());
        Assert.Equal(before, await App.CountAsync());
        await App.Writer.GetJsonAsync("/api/policies/ref-x", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Retrying_a_batch_with_idempotency_keys_writes_nothing_twice_and_answers_as_the_first_time()
    {
        object[] items =
        [
            BatchItem("issue", null, Issue("idem-x", "2024-01-01"), "idem-1"),
            BatchItem("amend", "idem-x", new { effectiveAt = "2024-02-01", set = new { fee = 1 } }, "idem-2"),
        ];
        var first = await App.Writer.WriteBatchAsync(items);
        var counts = await App.CountAsync();

        var retry = await App.Writer.WriteBatchAsync(items);

        Assert.Equal(counts, await App.CountAsync());
        Assert.Equal(0, retry.GetProperty("events").GetInt32());
        Assert.All(retry.GetProperty("items").EnumerateArray(), item => Assert.True(item.GetProperty("replayed").GetBoolean()));
        Assert.Equal(
            first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("eventIds").ToString()),
            retry.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("eventIds").ToString()));

        // The same key with another body is a conflict, and refuses the batch.
        using var reused = await App.Writer.PostAsync("/api/batches", new
        {
            items = new[] { BatchItem("amend", "idem-x", new { effectiveAt = "2024-03-01", set = new { fee = 2 } }, "idem-2") },
        });
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Equal(counts, await App.CountAsync());
    }

    /// <summary>A small record with every kind of write: out-of-order amendments, a suspension, a rescission through another instrument, a future change.</summary>
    private static List<(string Write, string PolicyId, object Body)> Record(string p) =>
    [
        ("issue", p + "a", Issue(p + "a", "2020-01-01", ("provisions", new { fee = 10 }), ("expiresAt", "2030-01-01"))),
        ("amend", p + "a", new { effectiveAt = "2022-01-01", set = new { fee = 30 } }),
        ("amend", p + "a", new { effectiveAt = "2021-01-01", set = new { fee = 20 } }),
        ("suspend", p + "a", new { effectiveAt = "2021-06-01", reason = "injunction" }),
        ("reinstate", p + "a", new { effectiveAt = "2021-09-01", reason = "stay lifted" }),
        ("issue", p + "b", Issue(p + "b", "2019-01-01", ("topics", new[] { "export-controls" }))),
        ("issue", p + "c", Issue(p + "c", "2023-05-01", ("rescinds", new[] { p + "b" }))),
        ("extend", p + "a", new { effectiveAt = "2024-01-01", expiresAt = "2031-01-01" }),
        ("amend", p + "c", new { effectiveAt = "2029-01-01", set = new { future = true } }),
        ("issue", p + "d", Issue(p + "d", "2018-01-01", ("expiresAt", "2028-01-01"))),
        ("supersede", p + "d", new { effectiveAt = "2025-01-01", byPolicyId = p + "c" }),
    ];

    private static object Correction(Guid eventId) => new { eventId, changes = new { set = new { fee = 25 } }, reason = "wrong amount" };

    private static string PathOf(string write, string policyId) => write switch
    {
        "issue" => "/api/policies",
        "amend" => $"/api/policies/{policyId}/amendments",
        "suspend" => $"/api/policies/{policyId}/suspensions",
        "reinstate" => $"/api/policies/{policyId}/reinstatements",
        "extend" => $"/api/policies/{policyId}/extensions",
        "supersede" => $"/api/policies/{policyId}/supersessions",
        _ => throw new ArgumentOutOfRangeException(nameof(write)),
    };

    /// <summary>
    /// Both read-model tables for the instruments under <paramref name="prefix"/>, as comparable text: the prefix
    /// dropped, record times replaced by their rank (the two runs were recorded at different times), event ids by
    /// the stream version they name.
    /// </summary>
    private async Task<List<string>> DigestAsync(string prefix)
    {
        var rows = new List<string[]>();
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        foreach (var sql in new[]
        {
            "select 'v', policy_id, valid_from::text, valid_to::text, recorded_from::text, recorded_to::text, status, kind, jurisdiction, topics::text, state::text from timeline.policy_versions where policy_id like @p",
            "select 'c', policy_id, effective_at::text, coalesce(version::text, change_key), recorded_from::text, recorded_to::text, type, summary, coalesce(citation, ''), kind, jurisdiction, topics::text, title from timeline.policy_changes where policy_id like @p",
        })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("p", prefix + "%");
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : reader.GetString(i).Replace(prefix, string.Empty, StringComparison.Ordinal))]);
            }
        }

        var recordTimes = rows.SelectMany(row => row[0] == "v" ? new[] { row[4], row[5] } : [row[4], row[5]])
            .Where(time => time != "null").Distinct().Order(StringComparer.Ordinal).Select((time, rank) => (time, rank))
            .ToDictionary(x => x.time, x => $"t{x.rank}");
        return [.. rows.Select(row => string.Join('|', row.Select((value, i) => i is 4 or 5 && value != "null" ? recordTimes[value] : value))).Order(StringComparer.Ordinal)];
    }
}
