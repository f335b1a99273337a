using System.Text;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Timeline.Api.ReadModel;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.ReadModel;

/// <summary>
/// A rebuild encodes its rows for COPY itself (<see cref="CopyRows"/>); the import's statements send the same rows as
/// arrays bound by Npgsql. Both must store the same values, or a rebuild would change the read model it replaces.
/// </summary>
public sealed class CopyRowsTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task Rows_copied_by_a_rebuild_are_stored_exactly_as_the_imports_statements_store_them()
    {
        var token = TestContext.Current.CancellationToken;
        var (copied, inserted) = ("copy_rows_" + Suffix(), "insert_rows_" + Suffix());
        foreach (var schema in new[] { copied, inserted })
        {
            await Sql.ExecuteAsync(
                App.ConnectionString,
                $"create schema {schema}; " +
                $"create table {schema}.policy_versions (like timeline.policy_versions including all); " +
                $"create table {schema}.policy_changes (like timeline.policy_changes including all); " +
                $"create table {schema}.policy_topics (like timeline.policy_topics including all)");
        }

        var rows = EdgeRows();

        await using (var connection = new NpgsqlConnection(App.ConnectionString))
        {
            await connection.OpenAsync(token);
            await new ReadModelCopy(new ReadModelTables(copied)).WriteAsync(connection, rows, token);
        }

        await using (var session = App.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            new ReadModelWriter(new ReadModelTables(inserted)).Flush(session, rows);
            await session.SaveChangesAsync(token);
        }

        foreach (var (table, count) in new[] { ("policy_versions", rows.InsertedVersions.Count), ("policy_changes", rows.InsertedChanges.Count), ("policy_topics", rows.Topics.Count) })
        {
            Assert.Equal(count, await CountAsync($"select * from {copied}.{table}"));
            Assert.Equal(0, await CountAsync($"select * from {copied}.{table} except all select * from {inserted}.{table}"));
            Assert.Equal(0, await CountAsync($"select * from {inserted}.{table} except all select * from {copied}.{table}"));
        }

        // And the values are the ones given, not merely the same mistake twice.
        var recordedFrom = await Sql.ScalarAsync<DateTime>(App.ConnectionString, $"select recorded_from from {copied}.policy_versions where valid_from is null");
        Assert.Equal(rows.InsertedVersions[0].RecordedFrom.UtcDateTime, recordedFrom);
        var topics = await Sql.ScalarAsync<string[]>(App.ConnectionString, $"select topics from {copied}.policy_versions where valid_to is null");
        Assert.Equal(rows.InsertedVersions[1].Topics, topics);
        var eventId = await Sql.ScalarAsync<Guid>(App.ConnectionString, $"select event_id from {copied}.policy_changes where version = 42");
        Assert.Equal(rows.InsertedChanges[0].EventId, eventId);
        var state = await Sql.ScalarAsync<string>(App.ConnectionString, $"select state from {copied}.policy_versions where valid_from is null");
        Assert.Equal(Encoding.UTF8.GetString(rows.InsertedVersions[0].State), state);
    }

    private static string Suffix() => Guid.NewGuid().ToString("N")[..12];

    private Task<long> CountAsync(string query) => Sql.ScalarAsync<long>(App.ConnectionString, $"select count(*) from ({query}) rows");

    private static RowChanges EdgeRows()
    {
        var rows = new RowChanges();
        // Null bounds, an instant before PostgreSQL's epoch (2000), microseconds, an empty topic list, UTF-8 beyond ASCII.
        rows.InsertVersion(new VersionRow(
            "us-ünï", null, At("2024-05-01T00:00:00.123456Z"), At("1999-12-31T23:59:59.999999Z"), "in-force", "rule", "US", [],
            Encoding.UTF8.GetBytes("{\"title\":\"é \\\"q\\\" 😀\"}")));
        var closed = new VersionRow(
            "us-b", At("1776-07-04T00:00:00Z"), null, At("2026-12-01T12:00:00Z"), "suspended", "executive-order", "US-CA",
            ["with \"quotes\"", "back\\slash", "comma, and {braces}", "NULL", "", "emoji 😀"], Encoding.UTF8.GetBytes("{}"));
        rows.InsertVersion(closed);
        rows.CloseVersion("us-b", closed.ValidFrom, At("2026-12-01T12:00:00.000001Z"));
        rows.InsertChange(new ChangeRow(
            "us-ünï", "e:0192f5e4-7c1a-7b3e-9f00-123456789abc", Guid.Parse("0192f5e4-7c1a-7b3e-9f00-123456789abc"), 42, "amended",
            At("2024-05-01T00:00:00Z"), At("2025-01-02T03:04:05.678901Z"), "fee 20", null, null, "rule", "US", ["visas"], "Título"));
        var change = new ChangeRow(
            "us-b", "expiry", null, null, "expired", At("2030-01-01T00:00:00Z"), At("2026-12-01T12:00:00Z"), "expires", "89 FR 12345",
            "https://www.federalregister.gov/d/2024-12345", "executive-order", "US-CA", [], "Title with \"quotes\"");
        rows.InsertChange(change);
        rows.CloseChange("us-b", "expiry", At("2026-12-02T00:00:00Z"));
        return rows;
    }

    private static DateTimeOffset At(string instant) => DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
}
