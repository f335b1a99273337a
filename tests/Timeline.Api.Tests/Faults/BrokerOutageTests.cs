using System.Diagnostics;
using System.Net;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Faults.FaultSetup;

namespace Timeline.Api.Tests.Faults;

/// <summary>
/// RabbitMQ stopped for 30 s while writers go on against the service (its own process), then started again: no write
/// fails or waits on the broker, readiness shows the broker degraded meanwhile (and the service still ready), and
/// every change recorded is delivered after it, once after deduplication and in order per instrument.
/// </summary>
public sealed class BrokerOutageTests(PostgresServer postgres, RabbitMqBroker brokers) : IDisposable
{
    /// <summary>The outage the issue asks for: an injected fault's duration, not a wait for something to happen.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(120);
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task Writes_succeed_while_the_broker_is_down_for_30_s_and_every_change_is_delivered_after_it_is_back()
    {
        await using var broker = await brokers.PrivateAsync(); // this test takes it down: nobody else's
        var database = await postgres.CreateDatabaseAsync("timeline_outage");
        await using var subscriber = await SubscriberHost.StartAsync(broker.Uri, "test-outage", ["#"], _directory.Combine("journal.ndjson"));
        await using var service = await ServiceProcess.StartAsync(Settings(database, broker.Uri));
        await using var load = new WriteLoad("outage", "outage", writers: 4, readers: 0, [service.Address], requestTimeout: TimeSpan.FromSeconds(30))
        {
            RetryUntilAcknowledged = false, // a write never fails because the broker is away: the first failure ends its writer, and the test
        };
        load.Start();
        await load.AcknowledgedMoreAsync(20, Delivery);
        await subscriber.WaitForAsync(load.AcknowledgedEventIds, Delivery);

        var stopped = Stopwatch.GetTimestamp();
        await broker.StopAsync(TestContext.Current.CancellationToken);
        var acknowledgedAtStop = load.AcknowledgedEventIds.ToHashSet();
        var degradedAfter = (TimeSpan?)null;
        var slowestProbe = TimeSpan.Zero;
        while (Stopwatch.GetElapsedTime(stopped) < Outage)
        {
            // Throughout the outage: the service stays ready, says the broker is degraded, and writes go on.
            var acknowledged = load.AcknowledgedCount;
            var (status, took, report) = await ReadinessAsync(service.Address);
            slowestProbe = took > slowestProbe ? took : slowestProbe;
            Assert.Equal((int)HttpStatusCode.OK, status);
            if (report?.GetProperty("checks").GetProperty("broker").Text("status") == "Degraded")
            {
                degradedAfter ??= Stopwatch.GetElapsedTime(stopped);
            }

            await Eventually.HoldsAsync(() => load.AcknowledgedCount > acknowledged, TimeSpan.FromSeconds(10), () => $"writes go on while the broker is down. {load.Summary()}");
        }

        var during = load.AcknowledgedEventIds.Except(acknowledgedAtStop).ToList();
        var deliveredDuring = during.Count(subscriber.Journal.Contains);

        var restarted = Stopwatch.GetTimestamp();
        await broker.StartAsync(TestContext.Current.CancellationToken);
        await subscriber.WaitForAsync(during, Delivery);
        var drained = Stopwatch.GetElapsedTime(restarted);
        await Eventually.HoldsAsync(
            async () => (await ReadinessAsync(service.Address)).Report?.GetProperty("checks").GetProperty("broker").Text("status") == "Healthy",
            TimeSpan.FromSeconds(60),
            () => "readiness shows the broker back");
        await load.AcknowledgedMoreAsync(20, Delivery);
        await load.StopAsync();

        var recorded = await RecordedEventIdsAsync(database);
        await subscriber.WaitForAsync(recorded, Delivery);
        var handled = subscriber.Lines().Select(line => line.GetProperty("message")).ToList();
        var failed = load.Answers.Where(a => a.Status is not (200 or 201)).ToList();

        Report($"RabbitMQ outage: {load.Summary()}");
        Report($"  faults injected: broker stopped for {Seconds(Stopwatch.GetElapsedTime(stopped, restarted))} under 4 writers; readiness 200 throughout (slowest probe {Seconds(slowestProbe)}), broker degraded {(degradedAfter is { } d ? Seconds(d) : "never")} after the stop");
        Report($"  written during the outage: {during.Count} events ({deliveredDuring} delivered before the restart); all delivered {Seconds(drained)} after the broker started");
        Report($"  events recorded {recorded.Count}, acknowledged {load.AcknowledgedEventIds.Count}, failed writes {failed.Count}; at the subscriber {handled.Count} distinct, {subscriber.Journal.DuplicatesSkipped} redeliveries skipped, "
            + $"{handled.Count - handled.Select(m => m.GetProperty("eventId").GetGuid()).Distinct().Count()} duplicates after dedup");

        Assert.Empty(failed);
        Assert.NotNull(degradedAfter);
        Assert.Equal(0, deliveredDuring);
        Assert.Equal(recorded.Order(), handled.Select(m => m.GetProperty("eventId").GetGuid()).Order());
        foreach (var instrument in handled.GroupBy(m => m.GetProperty("policyId").GetString()))
        {
            // In order per instrument: its stream versions arrive as 1, 2, 3, ... (an instrument rescinded later gets one more).
            var versions = instrument.Select(m => m.GetProperty("streamVersion").GetInt64()).ToList();
            Assert.Equal(Enumerable.Range(1, versions.Count).Select(v => (long)v), versions);
        }
    }

    public void Dispose() => _directory.Dispose();
}
