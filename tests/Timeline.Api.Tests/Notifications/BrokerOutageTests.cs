using System.Net;
using Microsoft.Extensions.Time.Testing;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Notifications;

/// <summary>
/// RabbitMQ stopped while writes go on, then started again: no write fails or waits on the broker, readiness shows
/// the broker degraded meanwhile (and the service still ready), and every change recorded during the outage is
/// delivered after it, in order.
/// </summary>
public sealed class BrokerOutageTests(PostgresServer postgres, RabbitMqBroker brokers) : IDisposable
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(120);
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task Writes_succeed_while_the_broker_is_down_and_every_change_is_delivered_after_it_is_back()
    {
        await using var broker = await brokers.PrivateAsync(); // this test takes it down: nobody else's
        var database = await postgres.CreateDatabaseAsync("timeline_outage");
        await using var subscriber = await SubscriberHost.StartAsync(broker.Uri, "test-outage", ["#"], _directory.Combine("journal.ndjson"));
        await using var host = TimelineHost.Start(database, new FakeTimeProvider(DateTimeOffset.UtcNow), new Dictionary<string, string?>
        {
            ["Timeline:Bus:RabbitMq"] = broker.Uri.ToString(),
        });

        var before = (await host.Writer.WriteAsync("/api/policies", Issue("us-outage", "2024-01-01"))).EventIds;
        await subscriber.WaitForAsync(before, Delivery);

        await broker.StopAsync(TestContext.Current.CancellationToken);
        var during = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            // WriteAsync asserts a 2xx: a write never fails because the broker is away.
            during.AddRange((await host.Writer.WriteAsync("/api/policies/us-outage/amendments", new { effectiveAt = "2024-06-01", set = new { n = i } })).EventIds);
        }

        await Eventually.HoldsAsync(
            async () => (await BrokerStatusAsync(host)) == "Degraded",
            TimeSpan.FromSeconds(60),
            () => "readiness shows the broker degraded while it is down");
        Assert.DoesNotContain(during, subscriber.Journal.Contains);

        await broker.StartAsync(TestContext.Current.CancellationToken);
        await subscriber.WaitForAsync(during, Delivery);

        await Eventually.HoldsAsync(async () => (await BrokerStatusAsync(host)) == "Healthy", TimeSpan.FromSeconds(30), () => "readiness shows the broker back");

        var handled = subscriber.Lines().Select(line => line.GetProperty("message")).ToList();
        Assert.Equal(before.Concat(during), handled.Select(message => message.GetProperty("eventId").GetGuid()));
        Assert.Equal(Enumerable.Range(1, 21).Select(v => (long)v), handled.Select(message => message.GetProperty("streamVersion").GetInt64()));
    }

    public void Dispose() => _directory.Dispose();

    private static async Task<string?> BrokerStatusAsync(TimelineHost host)
    {
        using var response = await host.Anonymous.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // degraded, never out of service
        var report = await response.ReadJsonAsync();
        return report.GetProperty("checks").GetProperty("broker").Text("status");
    }
}
