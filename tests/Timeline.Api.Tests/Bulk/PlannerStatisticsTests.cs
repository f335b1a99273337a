using Timeline.Api.PointInTime;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Bulk;

/// <summary>
/// A bulk import into a new store outgrows the planner's statistics long before autovacuum's first visit; a batch
/// brings them up to date for the tables that have outgrown them, so that lists walk their indexes again at once.
/// </summary>
public sealed class PlannerStatisticsTests(TimelineApp app) : ApiTest(app)
{
    private static readonly string[] Tables =
        ["policy_versions", "policy_changes", "policy_topics", "mt_events", "mt_streams", "audit_chain"];

    [Fact]
    public async Task A_batch_analyses_the_tables_that_outgrew_their_statistics_once_and_lists_walk_the_indexes_again()
    {
        // As in the first minute after a large import into a new store: autovacuum has not analysed anything yet.
        await Sql.ExecuteAsync(App.ConnectionString, string.Concat(Tables.Select(table => $"alter table timeline.{table} set (autovacuum_enabled = false);")));
        await QueryPlans.SeedSyntheticRecordAsync(App.ConnectionString, 20_000);
        await Sql.ExecuteAsync(App.ConnectionString, "insert into timeline.audit_chain (seq_id, event_id, previous_hash, hash) select seq_id, id, 'x', 'x' from timeline.mt_events");
        Assert.Equal(-1, await Sql.ScalarAsync<float>(App.ConnectionString, "select reltuples from pg_class where oid = 'timeline.policy_versions'::regclass"));
        var inForce = new PolicyFilter("in-force", null, null, null, null, 100);
        var asOf = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var (before, _) = await QueryPlans.OfListAsync(App, inForce, asOf, "costs off");
        // What the test guards against: with no statistics, the planner reads the whole version table.
        Assert.Contains("Seq Scan on policy_versions", before, StringComparison.Ordinal);

        await App.Writer.WriteBatchAsync([BatchItem("issue", null, Issue("stats-a", "2024-01-01"))]);

        var analysed = await AnalyseCountsAsync();
        Assert.Equal(1, analysed["policy_versions"]);
        Assert.Equal(1, analysed["mt_events"]);
        Assert.Equal(1, analysed["audit_chain"]);
        // Under a megabyte (the topics, the streams) or empty (the changes): read whole in no time, left alone.
        Assert.Equal(0, analysed["policy_topics"]);
        Assert.Equal(0, analysed["policy_changes"]);
        Assert.InRange(await Sql.ScalarAsync<float>(App.ConnectionString, "select reltuples from pg_class where oid = 'timeline.policy_versions'::regclass"), 54_000, 66_000);
        var (after, _) = await QueryPlans.OfListAsync(App, inForce, asOf, "costs off");
        Assert.DoesNotContain("Seq Scan", after, StringComparison.Ordinal);

        // Statistics that still describe a table (it has not doubled since) are not renewed by the next batch.
        await App.Writer.WriteBatchAsync([BatchItem("issue", null, Issue("stats-b", "2024-01-01"))]);
        Assert.Equal(analysed, await AnalyseCountsAsync());
    }

    /// <summary>How many times each table was analysed by a session (autovacuum's own analyses are counted apart).</summary>
    private async Task<Dictionary<string, long>> AnalyseCountsAsync()
    {
        var rows = await Sql.ListAsync<string>(App.ConnectionString, "select relname || '=' || analyze_count from pg_stat_user_tables where schemaname = 'timeline'");
        return rows.Select(row => row.Split('=')).ToDictionary(parts => parts[0], parts => long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
