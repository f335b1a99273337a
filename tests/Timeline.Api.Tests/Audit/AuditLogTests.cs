using System.Text.Json;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Audit;

/// <summary>The audit log as a file an auditor can take away: every event once, in record order, with both clocks and its hash.</summary>
public sealed class AuditLogTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task Concurrent_writers_keep_one_valid_chain_and_the_log_holds_every_event_in_record_order()
    {
        await Task.WhenAll(Enumerable.Range(0, 6).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 8; i++)
            {
                await App.Writer.WriteAsync("/api/policies", Issue($"us-chain-{writer}-{i}", "2024-01-01"));
            }
        }, TestContext.Current.CancellationToken)));

        var lines = (await App.Anonymous.GetStringAsync("/api/audit/log", TestContext.Current.CancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToList();
        var verified = await App.Anonymous.GetJsonAsync("/api/audit/verify");

        Assert.True(verified.GetProperty("ok").GetBoolean(), verified.ToString());
        Assert.Equal(lines.Count, verified.GetProperty("events").GetInt32());
        Assert.True(lines.Count >= 48);
        Assert.Equal(lines.Select(l => l.GetProperty("sequence").GetInt64()).Order(), lines.Select(l => l.GetProperty("sequence").GetInt64()));
        Assert.Equal(lines.Select(l => l.Text("recordedAt")).Order(StringComparer.Ordinal), lines.Select(l => l.Text("recordedAt")));
        for (var i = 1; i < lines.Count; i++)
        {
            Assert.Equal(lines[i - 1].Text("hash"), lines[i].Text("previousHash"));
        }
    }

    [Fact]
    public async Task The_log_as_of_a_record_time_holds_only_what_was_recorded_by_then_and_history_shows_the_same_hashes()
    {
        var first = await App.Writer.WriteAsync("/api/policies", Issue("us-log-asof", "2024-01-01"));
        await App.Writer.WriteAsync("/api/policies/us-log-asof/amendments", new { effectiveAt = "2024-02-01", set = new { fee = 1 } });

        var before = (await App.Anonymous.GetStringAsync($"/api/audit/log?asOf={Uri.EscapeDataString(Instant(first.RecordedAt))}", TestContext.Current.CancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var history = await App.Anonymous.GetJsonAsync("/api/policies/us-log-asof/history");

        var mine = before.Where(l => l.Text("streamId") == "us-log-asof").ToList();
        Assert.Single(mine);
        Assert.Equal(first.EventIds[0], mine[0].GetProperty("eventId").GetGuid());
        Assert.All(before, line => Assert.True(line.GetProperty("recordedAt").GetDateTimeOffset() <= first.RecordedAt));
        Assert.Equal(mine[0].Text("hash"), history.GetProperty("events")[0].Text("hash"));
        Assert.Equal(64, history.GetProperty("events")[1].Text("hash").Length);
    }

    [Fact]
    public async Task A_write_chains_every_event_the_chain_lacks_not_only_its_own()
    {
        for (var i = 0; i < 5; i++)
        {
            await App.Writer.WriteAsync("/api/policies", Issue($"us-unchained-{i}", "2024-01-01"));
        }

        // The chain loses its last five rows, as a log recorded before the chain existed lacks them. A write asks for one
        // more event than it appended, and reads on while a page comes back full.
        await Sql.ExecuteAsync(App.ConnectionString, "delete from timeline.audit_chain where seq_id > (select max(seq_id) - 5 from timeline.audit_chain)");
        await App.Writer.WriteAsync("/api/policies", Issue("us-unchained-last", "2024-01-01"));

        var verified = await App.Anonymous.GetJsonAsync("/api/audit/verify");
        Assert.True(verified.GetProperty("ok").GetBoolean(), verified.ToString());
        Assert.Equal(
            await Sql.ScalarAsync<long>(App.ConnectionString, "select count(*) from timeline.mt_events"),
            await Sql.ScalarAsync<long>(App.ConnectionString, "select count(*) from timeline.audit_chain"));
    }
}
