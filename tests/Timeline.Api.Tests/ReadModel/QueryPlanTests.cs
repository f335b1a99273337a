using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Timeline.Api.PointInTime;
using Timeline.Api.ReadModel;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.ReadModel;

/// <summary>
/// "All instruments in force at `at` as of `asOf`, filtered" is one indexed query: on a read model of
/// 20,000 instruments (60,000 version rows, 60,000 events) its plan scans no table sequentially.
/// The query, its indexes and a plan are described in docs/architecture.md ("The point-in-time query").
/// </summary>
public sealed class QueryPlanTests(TimelineApp app) : ApiTest(app)
{
    private const int Instruments = 20_000;

    [Theory]
    [InlineData("in-force", null)]
    [InlineData("in-force", "export-controls")]
    [InlineData(null, null)]
    public async Task The_point_in_time_list_query_uses_indexes_and_no_sequential_scan(string? status, string? topic)
    {
        await SeedOnceAsync();
        // A topic list looks up the rows of candidates taken from policy_topics, a few hundred at a time (the first round).
        var candidates = topic is null
            ? null
            : await Sql.ListAsync<string>(App.ConnectionString, $"select policy_id from timeline.policy_topics where topic = '{topic}' order by policy_id limit 404");
        var (text, _) = await QueryPlans.OfListAsync(
            App, new PolicyFilter(status, topic, null, null, null, 100, Candidates: candidates),
            asOf: new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero),
            "analyze, costs off, timing off, summary off");
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
        Assert.Contains("on policy_versions", text, StringComparison.Ordinal);
        Assert.Contains("pk_mt_events_stream_and_version", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("in-force")]
    [InlineData(null)]
    public async Task A_list_as_of_now_passes_over_other_times_rows_in_the_index_and_takes_versions_from_the_streams(string? status)
    {
        await SeedOnceAsync();
        var (text, sql) = await QueryPlans.OfListAsync(
            App, new PolicyFilter(status, null, null, null, null, 100, Current: true), asOf: new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), "costs off");
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
        // In id order, stopping at the page's end: not every row in force fetched and sorted. (Here every row is open, so
        // the planner may walk the bounds index as well as the current rows' one; in a real record two thirds are closed.)
        Assert.Matches(@"Limit\s+->  Index Scan using (ix_policy_versions_current|ix_policy_versions_bounds) on policy_versions v", text);
        Assert.DoesNotContain("Sort", text, StringComparison.Ordinal);
        Assert.Contains("COALESCE(valid_from", text, StringComparison.Ordinal);
        // The effective interval stated once: said both as a range and as bounds, the planner multiplied the two
        // selectivities, expected fewer rows than a page, and sorted every row in force (24 ms instead of 1 at 10k events).
        Assert.DoesNotContain("tstzrange", sql, StringComparison.Ordinal);
        Assert.Contains("pkey_mt_streams_id", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_state_planned_once_for_any_values_finds_its_rows_by_the_id(bool asOfNow)
    {
        await SeedOnceAsync();
        var queries = App.Services.GetRequiredService<PointInTimeQueries>();
        var state = queries.StateCommand("us-rule-777", new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero), asOfNow ? null : new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));
        // The plan a state read uses (ReadScope.SettleWithAsync with planOnceForAnyValues): one for any values.
        var names = state.Parameters.Select(p => p.ParameterName).ToList();
        var sql = state.CommandText;
        for (var i = 0; i < names.Count; i++)
        {
            // @at, @as_of and @id: none is the start of another.
            sql = sql.Replace($"@{names[i]}", $"${i + 1}", StringComparison.Ordinal);
        }

        var types = string.Join(", ", state.Parameters.Select(p => p.Value is string ? "text" : "timestamptz"));
        var values = string.Join(", ", state.Parameters.Select(p => p.Value is DateTimeOffset instant ? $"'{instant:O}'" : $"'{p.Value}'"));
        var lines = await Sql.ListAsync<string>(App.ConnectionString, $"""
            set plan_cache_mode = force_generic_plan;
            prepare state({types}) as {sql};
            explain (costs off) execute state({values});
            """);
        var plan = string.Join('\n', lines);
        TestContext.Current.TestOutputHelper?.WriteLine(plan);
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        Assert.Matches(@"Index (Only )?Scan using \w+ on policy_versions v\s+Index Cond: \(\(?policy_id = \$1\)", plan);
    }

    [Fact]
    public async Task Reading_the_log_after_the_chain_head_reads_no_chain_row_before_it()
    {
        await SeedOnceAsync();
        // The chain covers all but the last thousand events, as when a batch of a thousand is about to be chained.
        const long head = (3 * Instruments) - 1_000;
        await Sql.ExecuteAsync(App.ConnectionString, $"""
            insert into timeline.audit_chain (seq_id, event_id, previous_hash, hash)
              select seq_id, id, 'x', 'x' from timeline.mt_events where seq_id <= {head} on conflict do nothing;
            analyze timeline.audit_chain;
            """);
        try
        {
            var log = App.Services.GetRequiredService<Timeline.Api.Audit.AuditLogReader>();
            await using var connection = new NpgsqlConnection(App.ConnectionString);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = log.Command(connection, null, head, long.MaxValue, null);
            var lines = await QueryPlans.OfAsync(command, "analyze, costs off, timing off, summary off");
            // Rows the plan took from the chain, over all its loops: none of the 59,000 before the head.
            var chainScan = Assert.Single(lines, line => line.Contains("on audit_chain", StringComparison.Ordinal));
            var actual = System.Text.RegularExpressions.Regex.Match(chainScan, @"actual rows=(\d+) loops=(\d+)");
            Assert.True(actual.Success, chainScan);
            Assert.InRange(long.Parse(actual.Groups[1].Value, CultureInfo.InvariantCulture) * long.Parse(actual.Groups[2].Value, CultureInfo.InvariantCulture), 0, 1_000);
        }
        finally
        {
            await Sql.ExecuteAsync(App.ConnectionString, "truncate timeline.audit_chain");
        }
    }

    [Fact]
    public async Task Chaining_a_write_reads_its_events_by_the_sequence_key_even_before_the_log_has_statistics()
    {
        await SeedOnceAsync();
        const long head = (3 * Instruments) - 1_000;
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        // The chain covers all but the last thousand events, as when a batch of a thousand is about to be chained.
        await ExecuteAsync(transaction, $"insert into timeline.audit_chain (seq_id, event_id, previous_hash, hash) select seq_id, id, 'x', 'x' from timeline.mt_events where seq_id <= {head}");

        await ForgetStatisticsAsync(transaction, "timeline.mt_events", "timeline.audit_chain");
        var log = App.Services.GetRequiredService<Timeline.Api.Audit.AuditLogReader>();
        // What AuditChain.ExtendAfterAppendAsync asks for after a batch of a thousand events: one more than it appended.
        await using var command = log.Command(connection, transaction, head, 1_001, null);

        var plan = string.Join('\n', await QueryPlans.OfAsync(command, "costs off"));

        // Asked for every event after the head, the planner expected a third of the log, and scanned and sorted it all.
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort", plan, StringComparison.Ordinal);
        Assert.Contains("Index Scan using pkey_mt_events_seq_id on mt_events e", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_as_of_a_small_record_reads_the_instruments_of_the_logs_prefix_by_the_sequence_key_even_without_statistics()
    {
        await SeedOnceAsync();
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await ForgetStatisticsAsync(transaction, "timeline.mt_events");
        var queries = App.Services.GetRequiredService<PointInTimeQueries>();
        await using var command = new NpgsqlCommand(queries.RecordedBeforeSql, connection, transaction);
        // As of the record time of the 1,500th event, whose probes found the first event recorded later at 2,048 (a
        // candidate list is taken for at most a sixteenth of the log: here 3,750 of 60,000 events).
        command.Parameters.AddWithValue("before", 2_048L);
        command.Parameters.AddWithValue("as_of", (await Sql.ListAsync<DateTimeOffset>(App.ConnectionString, "select \"timestamp\" from timeline.mt_events where seq_id = 1500"))[0]);

        var plan = string.Join('\n', await QueryPlans.OfAsync(command, "analyze, costs off, timing off, summary off"));

        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        Assert.Contains("Index Scan using pkey_mt_events_seq_id on mt_events", plan, StringComparison.Ordinal);
        Assert.Contains("actual rows=2047 loops=1", plan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_batch_loads_its_streams_with_one_probe_of_the_logs_key_per_stream(bool statistics)
    {
        await SeedOnceAsync();
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        if (!statistics)
        {
            await ForgetStatisticsAsync(transaction, "timeline.mt_events");
        }

        var log = new Timeline.Api.Database.LogEvents(App.Services.GetRequiredService<Marten.IDocumentStore>());
        await using var command = new NpgsqlCommand(log.QueryStreams("$1"), connection, transaction);
        // A batch of a thousand writes reads about 560 streams.
        command.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Range(1, 560).Select(i => $"us-rule-{i * 35}").ToArray() });

        var plan = string.Join('\n', await QueryPlans.OfAsync(command, "analyze, costs off, timing off, summary off"));

        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Gather", plan, StringComparison.Ordinal);
        Assert.Matches(@"Index Cond: \(\(?\(?stream_id\)?(::text)? = wanted\.stream_id\)", plan);
        Assert.Contains("actual rows=1680 loops=1", plan, StringComparison.Ordinal);
    }

    /// <summary>
    /// Drops the planner's statistics of <paramref name="tables"/> in <paramref name="transaction"/> (rolled back with it),
    /// as a log has none before autovacuum first analyses it: early in a bulk import into a new store.
    /// </summary>
    private static async Task ForgetStatisticsAsync(NpgsqlTransaction transaction, params string[] tables)
    {
        foreach (var table in tables)
        {
            await ExecuteAsync(
                transaction,
                $"delete from pg_statistic where starelid = '{table}'::regclass; update pg_class set reltuples = -1, relpages = 0 where oid = '{table}'::regclass");
        }
    }

    private static async Task ExecuteAsync(NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, transaction.Connection, transaction);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(2_000)]
    public async Task A_page_that_closes_version_rows_finds_each_by_the_open_rows_index_on_id_and_effective_start(int closes)
    {
        await SeedOnceAsync();
        var open = await Sql.ListAsync<string>(App.ConnectionString, $"select policy_id from timeline.policy_versions where recorded_to is null order by random() limit {closes}");
        var sql = new ReadModelWriter(App.Services.GetRequiredService<ReadModelTables>()).CloseVersionsSql.Replace("?", "$1", StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        var closed = open.Select(id => new Dictionary<string, string> { ["policy_id"] = id, ["valid_from"] = "2019-01-01T00:00:00Z", ["recorded_to"] = "2030-01-01T00:00:00Z" });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(closed) });

        var plan = string.Join('\n', await QueryPlans.OfAsync(command, "costs off"));

        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        Assert.Matches(@"Index Cond: \(\(policy_id = c\.policy_id\) AND \(COALESCE\(valid_from", plan);
    }

    private static readonly SemaphoreSlim Seeding = new(1, 1);

    /// <summary>The synthetic record (<see cref="QueryPlans.SeedSyntheticRecordAsync"/>), analysed, once per class.</summary>
    private async Task SeedOnceAsync()
    {
        await Seeding.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (await Sql.ScalarAsync<long>(App.ConnectionString, "select count(*) from timeline.mt_streams") > 0)
            {
                return;
            }

            await QueryPlans.SeedSyntheticRecordAsync(App.ConnectionString, Instruments);
            await Sql.ExecuteAsync(App.ConnectionString, "analyze timeline.mt_events; analyze timeline.policy_versions; analyze timeline.policy_topics");
        }
        finally
        {
            Seeding.Release();
        }
    }
}
