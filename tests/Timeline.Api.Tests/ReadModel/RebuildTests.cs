using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Timeline.Api.ReadModel;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.ReadModel;

/// <summary>The read model is disposable: rebuilding it from the log gives the same rows, byte for byte.</summary>
public sealed class RebuildTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task Rebuilding_a_damaged_read_model_from_the_log_gives_the_original_rows_back()
    {
        var api = App.Writer;
        await api.WriteAsync("/api/policies", Issue("us-a", "2023-10-30", ("provisions", new { fee = 10, destinations = new[] { "CN", "MO" } }), ("expiresAt", "2026-10-30")));
        var amended = await api.WriteAsync("/api/policies/us-a/amendments", new { effectiveAt = "2024-05-01", set = new { fee = 20 } });
        await api.WriteAsync("/api/policies/us-a/amendments", new { effectiveAt = "2024-02-01", set = new { note = "earlier" }, remove = new[] { "destinations" } });
        await api.WriteAsync("/api/policies/us-a/corrections", new { eventId = amended.EventIds[0], changes = new { set = new { fee = 25 } }, reason = "wrong amount" });
        await api.WriteAsync("/api/policies/us-a/suspensions", new { effectiveAt = "2024-06-01", reason = "preliminary injunction", by = "D.D.C." });
        await api.WriteAsync("/api/policies/us-a/reinstatements", new { effectiveAt = "2024-06-01T12:00:00Z", reason = "stay lifted" });
        await api.WriteAsync("/api/policies/us-a/extensions", new { effectiveAt = "2025-01-01", expiresAt = "2027-10-30" });
        await api.WriteAsync("/api/policies", Issue("us-b", "2025-03-01", ("supersedes", new[] { "us-a" })));
        await api.WriteAsync("/api/policies", Issue("us-c", "2024-01-01", ("expiresAt", "2024-12-31")));
        await api.WriteAsync("/api/policies/us-c/expirations", new { effectiveAt = "2024-09-01" });
        var before = await DigestAsync();
        await Sql.ExecuteAsync(App.ConnectionString, "delete from timeline.policy_versions where policy_id = 'us-a'; delete from timeline.policy_changes");

        await App.Services.GetRequiredService<ReadModelRebuild>().RunAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

        var after = await DigestAsync();
        Assert.True(before.VersionRows > 10, $"the history should give a non-trivial read model, got {before.VersionRows} version rows");
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Reads_and_writes_go_on_during_a_rebuild_and_what_was_written_meanwhile_is_in_the_rebuilt_read_model()
    {
        var api = App.Writer;
        var token = TestContext.Current.CancellationToken;
        await api.WriteAsync("/api/policies", Issue("us-during", "2024-01-01", ("provisions", new { fee = 10 })));
        var rebuild = App.Services.GetRequiredService<ReadModelRebuild>();
        long versionReadMeanwhile = 0;
        rebuild.BeforeCatchUp = async cancellationToken =>
        {
            // The shadow is filled and indexed; the live tables still answer, and the log still takes writes. Bounded:
            // a rebuild that held the append lock here would make these wait for ever.
            using var read = await api.GetAsync("/api/policies/us-during", cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            versionReadMeanwhile = long.Parse(read.Headers.ETag!.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
            await api.WriteAsync("/api/policies/us-during/amendments", new { effectiveAt = "2024-06-01", set = new { fee = 20 } }).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            await api.WriteAsync("/api/policies", Issue("us-meanwhile", "2024-02-01")).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        };
        RebuildFigures figures;
        try
        {
            figures = await rebuild.RunAsync(TimeSpan.FromMinutes(2), token);
        }
        finally
        {
            rebuild.BeforeCatchUp = null;
        }

        Assert.Equal(1, versionReadMeanwhile);
        Assert.Equal((await App.CountAsync()).Events, figures.Events);
        using var amended = await api.GetAsync("/api/policies/us-during?at=2024-07-01", token);
        Assert.Equal(20, (await amended.ReadJsonAsync()).GetProperty("provisions").GetProperty("fee").GetInt32());
        using var issuedMeanwhile = await api.GetAsync("/api/policies/us-meanwhile?at=2024-03-01", token);
        Assert.Equal(HttpStatusCode.OK, issuedMeanwhile.StatusCode);
        var rebuilt = await DigestAsync();
        Assert.Equal(rebuilt.VersionRows, figures.VersionRows);
        Assert.Equal(rebuilt.ChangeRows, figures.ChangeRows);

        // The rows are a function of the log: a rebuild with nothing written meanwhile gives the same ones.
        await rebuild.RunAsync(TimeSpan.FromMinutes(2), token);
        Assert.Equal(rebuilt, await DigestAsync());
    }

    [Fact]
    public async Task A_failed_rebuild_leaves_the_read_model_as_it_was_and_nothing_beside_it()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-kept", "2024-01-01", ("provisions", new { fee = 10 })));
        var before = await DigestAsync();
        var rebuild = App.Services.GetRequiredService<ReadModelRebuild>();
        rebuild.BeforeCatchUp = _ => throw new InvalidOperationException("the rebuild fails after filling its shadow");
        try
        {
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => rebuild.RunAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken));
            Assert.Contains("shadow", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            rebuild.BeforeCatchUp = null;
        }

        Assert.Equal(before, await DigestAsync());
        Assert.Equal(0, await ShadowTablesAsync());
    }

    [Fact]
    public async Task A_rebuild_replaces_what_a_rebuild_that_died_left_behind()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-survivor", "2024-01-01"));
        var before = await DigestAsync();
        await Sql.ExecuteAsync(
            App.ConnectionString,
            "create table timeline.policy_versions_rebuild (left_by_a_crash int); insert into timeline.policy_versions_rebuild values (1); " +
            "create table timeline.policy_changes_retired (left_after_a_swap int)");

        await App.Services.GetRequiredService<ReadModelRebuild>().RunAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

        Assert.Equal(before, await DigestAsync());
        Assert.Equal(0, await ShadowTablesAsync());
    }

    [Fact]
    public async Task A_rebuild_waits_for_maintenance_on_the_live_tables_before_it_stops_writers_and_leaves_no_old_tables()
    {
        var token = TestContext.Current.CancellationToken;
        await App.Writer.WriteAsync("/api/policies", Issue("us-maintained", "2024-01-01", ("provisions", new { fee = 10 })));
        var rebuild = App.Services.GetRequiredService<ReadModelRebuild>();

        // What autovacuum holds while it vacuums a table. The swap must get past it without holding writers or readers:
        // a rebuild that takes the append lock first, or drops the live tables while one holds this, stops both.
        await using var maintenance = new NpgsqlConnection(App.ConnectionString);
        await maintenance.OpenAsync(token);
        await using var vacuuming = await maintenance.BeginTransactionAsync(token);
        await using (var hold = new NpgsqlCommand("lock table timeline.policy_versions in share update exclusive mode", maintenance, vacuuming))
        {
            await hold.ExecuteNonQueryAsync(token);
        }

        var running = rebuild.RunAsync(TimeSpan.FromMinutes(2), token);
        await Eventually.HoldsAsync(
            async () => await Sql.ScalarAsync<long>(App.ConnectionString, "select count(*) from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'policy_versions' and c.relnamespace = 'timeline'::regnamespace and not l.granted") > 0,
            TimeSpan.FromSeconds(60),
            () => "the rebuild should come to wait for the live tables");

        var written = await App.Writer.WriteAsync("/api/policies/us-maintained/amendments", new { effectiveAt = "2024-06-01", set = new { fee = 20 } }).WaitAsync(TimeSpan.FromSeconds(30), token);
        using (var read = await App.Writer.GetAsync("/api/policies/us-maintained", token).WaitAsync(TimeSpan.FromSeconds(30), token))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        await vacuuming.CommitAsync(token);
        await running.WaitAsync(TimeSpan.FromSeconds(60), token);

        var retired = await Sql.ScalarAsync<long>(App.ConnectionString, $"select count(*) from pg_tables where schemaname = 'timeline' and tablename like '%{ReadModelTables.RetiredSuffix}'");
        Assert.Equal(0, retired);
        // The amendment written while the rebuild waited is in the rebuilt read model (its catch-up found it).
        var fee = await Sql.ScalarAsync<string>(
            App.ConnectionString,
            "select state::json -> 'provisions' ->> 'fee' from timeline.policy_versions where policy_id = 'us-maintained' and recorded_to is null order by valid_from desc nulls last limit 1");
        Assert.Equal("20", fee);
        Assert.Equal(2, written.Version);
    }

    [Fact]
    public async Task A_rebuild_waits_for_the_one_running_and_when_it_gives_up_the_running_one_still_completes()
    {
        var token = TestContext.Current.CancellationToken;
        await App.Writer.WriteAsync("/api/policies", Issue("us-first", "2024-01-01", ("provisions", new { fee = 10 })));
        var before = await DigestAsync();
        var rebuild = App.Services.GetRequiredService<ReadModelRebuild>();
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rebuild.BeforeCatchUp = async cancellationToken =>
        {
            paused.SetResult();
            await resume.Task.WaitAsync(cancellationToken);
        };
        try
        {
            var running = rebuild.RunAsync(TimeSpan.FromMinutes(2), token);
            await paused.Task.WaitAsync(TimeSpan.FromSeconds(60), token);
            rebuild.BeforeCatchUp = null;

            using var givingUp = CancellationTokenSource.CreateLinkedTokenSource(token);
            var second = rebuild.RunAsync(TimeSpan.FromMinutes(2), givingUp.Token);
            await Eventually.HoldsAsync(
                async () => await Sql.ScalarAsync<long>(App.ConnectionString, "select count(*) from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())") > 0,
                TimeSpan.FromSeconds(30),
                () => "the second rebuild should wait for the first one's lock");
            await givingUp.CancelAsync();
            OperationCanceledException? gaveUp = null;
            try
            {
                await second;
            }
            catch (OperationCanceledException exception)
            {
                gaveUp = exception;
            }

            Assert.NotNull(gaveUp);

            resume.SetResult();
            await running;
        }
        finally
        {
            rebuild.BeforeCatchUp = null;
            resume.TrySetResult();
        }

        Assert.Equal(before, await DigestAsync());
        Assert.Equal(0, await ShadowTablesAsync());
    }

    [Fact]
    public async Task Autovacuum_leaves_the_shadow_alone_while_it_is_filled_and_the_swapped_in_tables_to_autovacuum_again()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-vacuumed", "2024-01-01"));
        var rebuild = App.Services.GetRequiredService<ReadModelRebuild>();
        List<string> whileFilled = [];
        rebuild.BeforeCatchUp = async _ => whileFilled = await StorageOptionsAsync(ReadModelTables.ShadowSuffix);
        try
        {
            await rebuild.RunAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        }
        finally
        {
            rebuild.BeforeCatchUp = null;
        }

        Assert.Equal(["{autovacuum_enabled=false}", "{autovacuum_enabled=false}", "{autovacuum_enabled=false}"], whileFilled);
        Assert.Equal(["none", "none", "none"], await StorageOptionsAsync(string.Empty));
    }

    [Fact]
    public async Task A_rebuild_copies_its_rows_in_frozen_so_no_page_is_left_for_a_later_scan_or_vacuum_to_mark()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-frozen", "2024-01-01"));
        await App.Writer.WriteAsync("/api/policies/us-frozen/amendments", new { effectiveAt = "2024-06-01", set = new { fee = 5 } });
        var rebuild = App.Services.GetRequiredService<ReadModelRebuild>();
        List<string> pages = [];
        // Read once the shadow is filled, indexed and analysed: ANALYZE counts the pages the visibility map marks all-visible.
        rebuild.BeforeCatchUp = async _ => pages = await Sql.ListAsync<string>(
            App.ConnectionString,
            "select c.relname || ': ' || c.relpages || ' pages, ' || c.relallvisible || ' all-visible' from pg_class c join pg_namespace n on n.oid = c.relnamespace " +
            $"where n.nspname = 'timeline' and c.relname in ('policy_versions{ReadModelTables.ShadowSuffix}', 'policy_changes{ReadModelTables.ShadowSuffix}', 'policy_topics{ReadModelTables.ShadowSuffix}') order by c.relname");
        try
        {
            await rebuild.RunAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        }
        finally
        {
            rebuild.BeforeCatchUp = null;
        }

        Assert.Equal(3, pages.Count);
        Assert.All(pages, table =>
        {
            var (count, visible) = (table.Split(' ')[1], table.Split(' ')[3]);
            Assert.True(count != "0" && count == visible, $"every page of a rebuilt table should be all-visible, got {table}");
        });
    }

    /// <summary>The storage options of the three read-model tables whose names end with <paramref name="suffix"/>.</summary>
    private async Task<List<string>> StorageOptionsAsync(string suffix) =>
        await Sql.ListAsync<string>(
            App.ConnectionString,
            "select coalesce(c.reloptions::text, 'none') from pg_class c join pg_namespace n on n.oid = c.relnamespace " +
            $"where n.nspname = 'timeline' and c.relname in ('policy_versions{suffix}', 'policy_changes{suffix}', 'policy_topics{suffix}') order by c.relname");

    private async Task<long> ShadowTablesAsync() =>
        await Sql.ScalarAsync<long>(
            App.ConnectionString,
            $"select count(*) from pg_tables where schemaname = 'timeline' and (tablename like '%{ReadModelTables.ShadowSuffix}' or tablename like '%{ReadModelTables.RetiredSuffix}')");

    private async Task<TableDigest> DigestAsync() => new(
        await Sql.ScalarAsync<long>(App.ConnectionString, "select count(*) from timeline.policy_versions"),
        await Sql.ScalarAsync<string>(App.ConnectionString, "select md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) from timeline.policy_versions t"),
        await Sql.ScalarAsync<long>(App.ConnectionString, "select count(*) from timeline.policy_changes"),
        await Sql.ScalarAsync<string>(App.ConnectionString, "select md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) from timeline.policy_changes t"));

    private sealed record TableDigest(long VersionRows, string VersionsMd5, long ChangeRows, string ChangesMd5);
}
