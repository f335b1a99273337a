using Microsoft.Extensions.Time.Testing;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Notifications;

/// <summary>
/// An event the publisher cannot read (here, a type this version does not know) stops it where it is: the changes
/// after it wait in the log instead of being published past a gap, and readiness says the publisher is stalled.
/// </summary>
public sealed class PoisonEventTests(PostgresServer postgres)
{
    [Fact]
    public async Task The_publisher_stops_at_an_event_it_cannot_read_rather_than_skip_it()
    {
        var database = await postgres.CreateDatabaseAsync("timeline_poison");
        await using var host = TimelineHost.Start(database, new FakeTimeProvider(DateTimeOffset.UtcNow), new Dictionary<string, string?>
        {
            ["Timeline:Notifications:StallAfter"] = "00:00:01",
        });
        var first = await host.Writer.WriteAsync("/api/policies", Issue("us-poison", "2024-01-01"));
        await host.Published.Changes.WaitForAsync(c => c.Any(m => m.EventId == first.EventIds[0]), "the first change");

        // As a newer version of the service might have written it.
        await Sql.ExecuteAsync(database, """
            insert into timeline.mt_events (seq_id, id, stream_id, version, data, type, "timestamp", tenant_id, mt_dotnet_type)
            values (nextval('timeline.mt_events_sequence'), gen_random_uuid(), 'us-poison', 2, '{}', 'from-the-future', now(), '*DEFAULT*',
                    'Timeline.Domain.Policies.PolicyFromTheFuture, Timeline.Domain');
            update timeline.mt_streams set version = 2 where id = 'us-poison';
            """);
        var after = await host.Writer.WriteAsync("/api/policies", Issue("us-after-poison", "2024-01-01"));

        await Eventually.HoldsAsync(
            async () => (await host.Anonymous.GetJsonAsync("/health/ready")).GetProperty("checks").GetProperty("publisher").Text("status") == "Degraded",
            TimeSpan.FromSeconds(30),
            () => "readiness reports the publisher stalled");
        Assert.DoesNotContain(host.Published.Changes.Messages, m => m.EventId == after.EventIds[0]);
    }
}
