using Microsoft.Extensions.Time.Testing;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Notifications;

/// <summary>
/// Over a real RabbitMQ: changes reach subscribers (the subscriber worker) in order per instrument, and each subscriber
/// gets exactly what its routing-key bindings select: jurisdictions, topics, change types, one copy per message even
/// when several of its bindings match.
/// </summary>
public sealed class RabbitMqDeliveryTests(PostgresServer postgres, RabbitMqBroker broker) : IDisposable
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(60);
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task Subscribers_get_the_changes_their_bindings_select_once_each_in_order_per_instrument()
    {
        var rabbitMq = await broker.SharedAsync();
        var database = await postgres.CreateDatabaseAsync("timeline_rabbitmq");
        // Topics of this test alone: the broker is shared with other tests.
        var run = Guid.NewGuid().ToString("N")[..8];
        var (t1, t2) = ($"t1-{run}", $"t2-{run}");

        await using var everything = await SubscriberAsync(rabbitMq, $"*.{t1}.#", $"*.{t2}.#");
        await using var usT1 = await SubscriberAsync(rabbitMq, $"us.{t1}.#");
        await using var t2Rescinded = await SubscriberAsync(rabbitMq, $"*.{t2}.rescinded");
        await using var host = TimelineHost.Start(database, new FakeTimeProvider(DateTimeOffset.UtcNow), new Dictionary<string, string?>
        {
            ["Timeline:Bus:RabbitMq"] = rabbitMq.ToString(),
        });

        var api = host.Writer;
        var a = await api.WriteAsync("/api/policies", Issue($"us-a-{run}", "2024-01-01", ("topics", new[] { t1, t2 })));
        var b = await api.WriteAsync("/api/policies", Issue($"us-ca-b-{run}", "2024-01-01", ("jurisdiction", "US-CA"), ("topics", new[] { t1 })));
        var c = await api.WriteAsync("/api/policies", Issue($"eu-c-{run}", "2024-01-01", ("jurisdiction", "EU"), ("topics", new[] { t2 })));
        var aAmended = await api.WriteAsync($"/api/policies/us-a-{run}/amendments", new { effectiveAt = "2024-02-01", set = new { fee = 1 } });
        var aAmendedAgain = await api.WriteAsync($"/api/policies/us-a-{run}/amendments", new { effectiveAt = "2024-03-01", set = new { fee = 2 } });
        var bSuspended = await api.WriteAsync($"/api/policies/us-ca-b-{run}/suspensions", new { effectiveAt = "2024-02-01", reason = "stayed" });
        var cRescinded = await api.WriteAsync($"/api/policies/eu-c-{run}/rescissions", new { effectiveAt = "2024-04-01" });
        var before = new[] { a, b, c, aAmended, aAmendedAgain, bSuspended, cRescinded }.SelectMany(w => w.EventIds).ToList();
        await everything.WaitForAsync(before, Delivery);

        // A last instrument every binding selects, written after everything else was delivered: once each
        // subscriber has it, its queue (first in, first out) holds nothing older.
        var last = await api.WriteAsync("/api/policies", Issue($"us-d-{run}", "2024-01-01", ("topics", new[] { t1, t2 })));
        var lastRescinded = await api.WriteAsync($"/api/policies/us-d-{run}/rescissions", new { effectiveAt = "2024-05-01" });
        var sentinels = new[] { last.EventIds[0], lastRescinded.EventIds[0] };
        await everything.WaitForAsync(sentinels, Delivery);
        await usT1.WaitForAsync(sentinels, Delivery);
        await t2Rescinded.WaitForAsync([lastRescinded.EventIds[0]], Delivery);

        // Instruments are published side by side, so only the order within each instrument is fixed.
        Assert.Equal(before.Concat(sentinels).Order(), HandledEvents(everything).Order());
        Assert.Equal(a.EventIds.Concat(aAmended.EventIds).Concat(aAmendedAgain.EventIds).Concat(sentinels).Order(), HandledEvents(usT1).Order());
        Assert.Equal(cRescinded.EventIds.Append(lastRescinded.EventIds[0]).Order(), HandledEvents(t2Rescinded).Order());
        Assert.Equal(0, everything.Journal.DuplicatesSkipped);
        foreach (var subscriber in new[] { everything, usT1 })
        {
            var versions = subscriber.Lines().Select(line => line.GetProperty("message"))
                .GroupBy(message => message.GetProperty("policyId").GetString())
                .Select(instrument => instrument.Select(message => message.GetProperty("streamVersion").GetInt64()).ToList());
            Assert.All(versions, list => Assert.Equal(list.Order(), list));
        }
    }

    public void Dispose() => _directory.Dispose();

    private Task<SubscriberHost> SubscriberAsync(Uri rabbitMq, params string[] bindings) =>
        SubscriberHost.StartAsync(rabbitMq, $"test-{Guid.NewGuid():N}", bindings, _directory.Combine($"{Guid.NewGuid():N}.ndjson"));

    /// <summary>The event ids the subscriber wrote, in the order it wrote them.</summary>
    private static List<Guid> HandledEvents(SubscriberHost subscriber) =>
        [.. subscriber.Lines().Select(line => line.GetProperty("message").GetProperty("eventId").GetGuid())];
}
