using System.Diagnostics;
using System.Net;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Faults.FaultSetup;

namespace Timeline.Api.Tests.Faults;

/// <summary>
/// The network between the service (its own process) and PostgreSQL fails under writers and readers, through a TCP
/// proxy in the test: first it is only slow, then every connection is reset and new ones refused, then the link goes
/// silent (a partition: nothing answers, nothing is refused). Meanwhile clients get a 503 problem within a bound,
/// never a 500 and never a hang, readiness goes false; afterwards the service recovers with no restart and no
/// acknowledged write is missing.
/// </summary>
public sealed class DatabaseNetworkFaultTests(PostgresServer postgres)
{
    /// <summary>The service's request timeout for this test (<c>Timeline:RequestTimeout</c>; 10 s by default).</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest a client may wait for an answer during a fault. Usually the request timeout and Npgsql's cancellation
    /// of the statement (a connection for the cancel request, 5 s at most, then 2 s); but behind a silent partition
    /// the cancel request cannot reach the server either, and a statement already sent waits for Npgsql's command
    /// timeout (30 s). With 5 s of slack for a loaded machine.
    /// </summary>
    private static readonly TimeSpan AnswerBound = RequestTimeout + TimeSpan.FromSeconds(30 + 5);

    /// <summary>Readiness answers at its checks' timeout (3 s) whatever the database does, with slack.</summary>
    private static readonly TimeSpan ProbeBound = TimeSpan.FromSeconds(3 + 5);

    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task When_the_link_to_the_database_drops_or_goes_silent_clients_get_a_503_in_bounded_time_and_the_service_recovers_alone()
    {
        var database = await postgres.CreateDatabaseAsync("timeline_network");
        await using var proxy = TcpFaultProxy.ForPostgres(database);
        await using var service = await ServiceProcess.StartAsync(Settings(proxy.Route(database), null, ("Timeline__RequestTimeout", RequestTimeout.ToString())));
        await using var load = new WriteLoad("net", "net", writers: 4, readers: 2, [service.Address], requestTimeout: TimeSpan.FromSeconds(60));
        load.Start();
        await load.AcknowledgedMoreAsync(20, Phase);

        // Slow, not broken: 20 ms more each way on every chunk; writes go on and nothing fails. (First: after a
        // partition, cancel requests held in it reach the server late and may cancel a statement then, a 503.)
        proxy.Delay(TimeSpan.FromMilliseconds(20));
        var beforeDelay = load.Answers.Count;
        await load.AcknowledgedMoreAsync(20, Phase);
        var delayed = load.Answers.Skip(beforeDelay).ToList();
        proxy.Forward();

        var reset = await InjectAsync(proxy.DropAll, proxy, service, load);
        var partition = await InjectAsync(proxy.Blackhole, proxy, service, load);
        await load.StopAsync();

        var recorded = await RecordedEventIdsAsync(database);
        var lost = load.AcknowledgedEventIds.Except(recorded).ToList();
        var unexpected = load.Answers.Where(a => a.Status is not (200 or 201) && !a.IsUnavailableProblem).ToList();
        var slowest503 = load.Answers.Where(a => a.Status == 503).Select(a => a.Took).DefaultIfEmpty().Max();

        Report($"Network faults between service and PostgreSQL (TCP proxy): {load.Summary()}");
        Report($"  faults injected: 20 ms latency per chunk, then connections reset and refused, then a silent partition (request timeout {RequestTimeout.TotalSeconds:F0} s); 4 writers, 2 readers");
        foreach (var (name, figures) in new[] { ("reset", reset), ("partition", partition) })
        {
            Report($"  {name}: readiness false {Seconds(figures.NotReadyAfter)} after it began (slowest probe {Seconds(figures.SlowestProbe)}), {figures.Unavailable} answers 503 (slowest {Seconds(figures.Slowest503)}); "
                + $"after it ended, ready in {Seconds(figures.ReadyAfter)} and writing in {Seconds(figures.WritingAfter)}, no restart");
        }

        Report($"  latency: {delayed.Count} requests, {delayed.Count(a => a.Status is 200 or 201)} answered 2xx");
        Report($"  events recorded {recorded.Count}, acknowledged {load.AcknowledgedEventIds.Count}, lost {lost.Count}; answers other than 2xx or 503 problem+json: {unexpected.Count}; slowest 503 {Seconds(slowest503)}");

        Assert.Empty(lost);
        Assert.True(unexpected.Count == 0, $"only 2xx or 503 problem+json; got: {string.Join("; ", unexpected.Take(5).Select(a => $"{a.Path} {a.Outcome} after {Seconds(a.Took)}: {a.Body}"))}\n{service.Errors("Microsoft.AspNetCore")}\n{service.Errors("Timeline.Api.Http")}");
        Assert.True(slowest503 <= AnswerBound, $"every 503 within {Seconds(AnswerBound)}; the slowest took {Seconds(slowest503)}");
        Assert.True(reset.SlowestProbe <= ProbeBound && partition.SlowestProbe <= ProbeBound, $"readiness answers within {Seconds(ProbeBound)} during a fault");
        var failedWhileSlow = delayed.Where(a => a.Status is not (200 or 201)).ToList();
        Assert.True(failedWhileSlow.Count == 0, $"nothing fails while the link is only slow; got: {string.Join("; ", failedWhileSlow.Select(a => $"{a.Path} {a.Outcome} after {Seconds(a.Took)}: {a.Body}"))}\n{service.Errors("Timeline.Api.Http")}");
    }

    /// <summary>Injects a fault until readiness is false and clients have had 503s for writes and reads, ends it, and measures the recovery.</summary>
    private static async Task<FaultFigures> InjectAsync(Action fault, TcpFaultProxy proxy, ServiceProcess service, WriteLoad load)
    {
        var before = load.Answers.Count;
        fault();
        var (notReadyAfter, slowestProbe) = await ReadinessBecomesAsync(service.Address, HttpStatusCode.ServiceUnavailable, Phase);
        await Eventually.HoldsAsync(
            () => load.Answers.Skip(before) is var during && during.Count(a => a.IsWrite && a.Status == 503) >= 3 && during.Count(a => !a.IsWrite && a.Status == 503) >= 3,
            Phase,
            () => $"3 writes and 3 reads answered 503 during the fault. {load.Summary()}");
        var during = load.Answers.Skip(before).ToList();

        var ended = Stopwatch.GetTimestamp();
        var acknowledged = load.AcknowledgedCount;
        proxy.Forward();
        await ReadinessBecomesAsync(service.Address, HttpStatusCode.OK, Phase);
        var readyAfter = Stopwatch.GetElapsedTime(ended);
        await Eventually.HoldsAsync(() => load.AcknowledgedCount > acknowledged, Phase, () => $"a write acknowledged after the fault. {load.Summary()}");
        var writingAfter = Stopwatch.GetElapsedTime(ended);
        await load.AcknowledgedMoreAsync(10, Phase);
        return new FaultFigures(
            notReadyAfter, slowestProbe, during.Count(a => a.Status == 503), during.Where(a => a.Status == 503).Max(a => a.Took), readyAfter, writingAfter);
    }

    private sealed record FaultFigures(TimeSpan NotReadyAfter, TimeSpan SlowestProbe, int Unavailable, TimeSpan Slowest503, TimeSpan ReadyAfter, TimeSpan WritingAfter);
}
