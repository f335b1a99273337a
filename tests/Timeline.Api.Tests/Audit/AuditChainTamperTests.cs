using System.Text.Json;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Audit;

/// <summary>
/// Tampering made directly in PostgreSQL is found by the service's verifier and by the outside script,
/// each naming the first broken sequence: a change, a deletion, a reordering and an insertion. Each
/// tampering is undone before the next, and the untouched log verifies before and after.
/// </summary>
public sealed class AuditChainTamperTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task Both_verifiers_pass_an_untouched_log_and_point_at_the_first_sequence_each_tampering_breaks()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-audit-a", "2024-01-01", ("provisions", new { fee = 1.50m, destinations = new[] { "CN" } })));
        await App.Writer.WriteAsync("/api/policies/us-audit-a/amendments", new { effectiveAt = "2024-03-01", set = new { fee = 2 }, summary = "Règle « révisée »\tavec tabulation" });
        await App.Writer.WriteAsync("/api/policies", Issue("us-audit-b", "2024-06-01", ("rescinds", new[] { "us-audit-a" })));
        await App.Writer.WriteAsync("/api/policies/us-audit-b/amendments", new { effectiveAt = "2024-07-01", set = new { threshold = 100000000000000000000000000m } });
        await ExpectOkAsync(events: 5);

        await ExpectBrokenAsync(3, "changed",
            tamper: "create table timeline.saved as select seq_id, data from timeline.mt_events where seq_id = 3; " +
                    "update timeline.mt_events set data = jsonb_set(data, '{title}', '\"A forged title\"') where seq_id = 3",
            undo: "update timeline.mt_events e set data = s.data from timeline.saved s where e.seq_id = s.seq_id; drop table timeline.saved");

        await ExpectBrokenAsync(2, "deleted",
            tamper: "create table timeline.saved as select * from timeline.mt_events where seq_id = 2; delete from timeline.mt_events where seq_id = 2",
            undo: "insert into timeline.mt_events select * from timeline.saved; drop table timeline.saved");

        await ExpectBrokenAsync(3, "reordered",
            tamper: "update timeline.mt_events set seq_id = -3 where seq_id = 3; update timeline.mt_events set seq_id = 3 where seq_id = 4; update timeline.mt_events set seq_id = 4 where seq_id = -3",
            undo: "update timeline.mt_events set seq_id = -4 where seq_id = 4; update timeline.mt_events set seq_id = 4 where seq_id = 3; update timeline.mt_events set seq_id = 3 where seq_id = -4");

        await ExpectBrokenAsync(0, "inserted",
            tamper: "insert into timeline.mt_events (seq_id, id, stream_id, version, data, type, \"timestamp\") " +
                    "select 0, gen_random_uuid(), stream_id, 99, data, type, \"timestamp\" - interval '1 day' from timeline.mt_events where seq_id = 1",
            undo: "delete from timeline.mt_events where seq_id = 0");

        await ExpectOkAsync(events: 5);
    }

    private async Task ExpectOkAsync(int events)
    {
        var log = await LogAsync();
        var lastHash = JsonDocument.Parse(log.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement.Text("hash");
        var service = await App.Anonymous.GetJsonAsync("/api/audit/verify");
        var outside = await OutsideVerifier.VerifyAsync(log);

        Assert.True(service.GetProperty("ok").GetBoolean(), service.ToString());
        Assert.Equal(events, service.GetProperty("events").GetInt32());
        Assert.Equal(lastHash, service.Text("headHash"));
        Assert.True(outside.GetProperty("ok").GetBoolean(), outside.ToString());
        Assert.Equal(lastHash, outside.Text("headHash"));
    }

    private async Task ExpectBrokenAsync(long sequence, string what, string tamper, string undo)
    {
        await Sql.ExecuteAsync(App.ConnectionString, tamper);
        try
        {
            var service = await App.Anonymous.GetJsonAsync("/api/audit/verify");
            var outside = await OutsideVerifier.VerifyAsync(await LogAsync());

            Assert.False(service.GetProperty("ok").GetBoolean(), $"{what}: the service's verifier passed a tampered log");
            Assert.True(sequence == service.GetProperty("firstFailedSequence").GetInt64(), $"{what}: service says {service}");
            Assert.False(outside.GetProperty("ok").GetBoolean(), $"{what}: the outside verifier passed a tampered log");
            if (what != "deleted")
            {
                // A deletion shows in the log itself only at the next event, whose link no longer matches.
                Assert.True(sequence == outside.GetProperty("firstFailedSequence").GetInt64(), $"{what}: outside verifier says {outside}");
            }
            else
            {
                Assert.True(sequence + 1 == outside.GetProperty("firstFailedSequence").GetInt64(), $"{what}: outside verifier says {outside}");
            }
        }
        finally
        {
            await Sql.ExecuteAsync(App.ConnectionString, undo);
        }
    }

    private async Task<string> LogAsync() =>
        await App.Anonymous.GetStringAsync("/api/audit/log", TestContext.Current.CancellationToken);
}
