using System.Diagnostics;
using System.Net;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Faults.FaultSetup;

namespace Timeline.Api.Tests.Faults;

/// <summary>
/// PostgreSQL stopped and started again under the running service (its own process, on a private cluster) while
/// writers and readers go on: clients get 503 problems meanwhile, readiness goes false and back with no one touching
/// the service, no acknowledged write is lost, and the publisher resumes: every change reaches the subscriber.
/// </summary>
public sealed class DatabaseRestartTests(RabbitMqBroker broker) : IDisposable
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task Stopped_and_restarted_under_writes_the_database_loses_no_acknowledged_write_and_the_service_recovers_alone()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        var database = await postgres.CreateDatabaseAsync("timeline_restart");
        var rabbitMq = await broker.SharedAsync();
        var topic = $"pg-restart-{Guid.NewGuid().ToString("N")[..8]}";
        await using var subscriber = await SubscriberHost.StartAsync(rabbitMq, $"test-{topic}", [$"*.{topic}.#"], _directory.Combine("journal.ndjson"));
        await using var service = await ServiceProcess.StartAsync(Settings(database, rabbitMq));
        await using var load = new WriteLoad(topic, topic, writers: 8, readers: 2, [service.Address], requestTimeout: TimeSpan.FromSeconds(30));
        load.Start();
        await load.AcknowledgedMoreAsync(30, Recovery);

        var stopped = Stopwatch.GetTimestamp();
        await postgres.StopAsync(TestContext.Current.CancellationToken);
        var (notReadyAfter, slowestProbeDown) = await ReadinessBecomesAsync(service.Address, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(15));
        // Clients feel the outage: a few of their requests are answered while the database is away.
        var failedBefore = load.Answers.Count;
        await Eventually.HoldsAsync(
            () => load.Answers.Skip(failedBefore) is var during && during.Count(a => a.IsWrite && a.Status == 503) >= 10 && during.Count(a => !a.IsWrite && a.Status == 503) >= 10,
            Recovery,
            () => $"10 writes and 10 reads answered 503 during the outage. {load.Summary()}");
        var outage = Stopwatch.GetElapsedTime(stopped);

        var restarted = Stopwatch.GetTimestamp();
        var acknowledgedAtRestart = load.AcknowledgedCount;
        await postgres.StartAgainAsync(TestContext.Current.CancellationToken);
        await ReadinessBecomesAsync(service.Address, HttpStatusCode.OK, Recovery);
        var readyAfter = Stopwatch.GetElapsedTime(restarted);
        await Eventually.HoldsAsync(() => load.AcknowledgedCount > acknowledgedAtRestart, Recovery, () => $"a write acknowledged after the restart. {load.Summary()}");
        var writingAfter = Stopwatch.GetElapsedTime(restarted);
        await load.AcknowledgedMoreAsync(30, Recovery);
        await load.StopAsync();

        var recorded = await RecordedEventIdsAsync(database);
        var lost = load.AcknowledgedEventIds.Except(recorded).ToList();
        var unexpected = load.Answers.Where(a => a.Status is not (200 or 201) && !a.IsUnavailableProblem).ToList();

        var drainStarted = Stopwatch.GetTimestamp();
        await subscriber.WaitForAsync(recorded, Recovery);
        var drained = Stopwatch.GetElapsedTime(drainStarted);
        var handled = subscriber.Lines().Select(line => line.GetProperty("messageId").GetGuid()).ToList();
        var audit = await VerifyAuditAsync(service.Address);

        Report($"PostgreSQL stop/restart: {load.Summary()}");
        Report($"  faults injected: 1 stop (fast shutdown) of {Seconds(outage)} under {load.Writers} writers and 2 readers");
        Report($"  readiness false {Seconds(notReadyAfter)} after the stop (slowest probe {Seconds(slowestProbeDown)}); ready again {Seconds(readyAfter)} after the restart began; first acknowledged write {Seconds(writingAfter)} after the restart");
        Report($"  events recorded {recorded.Count}, acknowledged {load.AcknowledgedEventIds.Count}, lost {lost.Count}; answers other than 2xx or 503 problem+json: {unexpected.Count}; slowest 503 {Seconds(load.Answers.Where(a => a.Status == 503).Select(a => a.Took).DefaultIfEmpty().Max())}");
        Report($"  notifications: {handled.Count} distinct at the subscriber for {recorded.Count} events, {subscriber.Journal.DuplicatesSkipped} redeliveries skipped, {handled.Count - handled.Distinct().Count()} duplicates after dedup, all in {Seconds(drained)} after the writes stopped");

        Assert.Empty(lost);
        Assert.True(unexpected.Count == 0, $"only 2xx or 503 problem+json while the database is away; got: {string.Join("; ", unexpected.Take(5).Select(a => $"{a.Path} {a.Outcome} {a.Body}"))}\n{service.Errors("Microsoft.AspNetCore")}\n{service.Errors("Timeline.Api.Http")}");
        Assert.Equal(recorded.Order(), handled.Order());
        Assert.True(audit.Ok, "the audit chain verifies after the restart");
        Assert.Equal(recorded.Count, audit.Events);
    }

    public void Dispose() => _directory.Dispose();
}
