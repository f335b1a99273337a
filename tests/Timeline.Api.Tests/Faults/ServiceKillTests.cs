using System.Diagnostics;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Faults.FaultSetup;

namespace Timeline.Api.Tests.Faults;

/// <summary>
/// The service killed with SIGKILL while many writers write, some of them issuing instruments that rescind others
/// (events in two streams in one command), then started again: no command is written in part, every acknowledged
/// write is there, the audit chain verifies, and the read model is what a rebuild from the log gives.
/// </summary>
public sealed class ServiceKillTests(PostgresServer postgres)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Killed_in_the_middle_of_concurrent_writes_the_service_leaves_no_partial_write_and_loses_nothing_acknowledged()
    {
        var database = await postgres.CreateDatabaseAsync("timeline_kill");
        var settings = Settings(database);
        var service = await ServiceProcess.StartAsync(settings);
        try
        {
            var writers = 16;
            await using var load = new WriteLoad("kill", "kill", writers, readers: 0, [service.Address], requestTimeout: TimeSpan.FromSeconds(30))
            {
                RetryUntilAcknowledged = false, // a write the kill cuts off stays unknown: exactly what is checked
            };
            load.Start();
            await load.AcknowledgedMoreAsync(100, Bound);

            var killed = Stopwatch.GetTimestamp();
            await service.KillAsync();
            await load.StopAsync();
            var cutOff = load.Answers.Count(a => a.Status == 0);
            var acknowledged = load.AcknowledgedEventIds;

            await service.DisposeAsync();
            service = await ServiceProcess.StartAsync(settings);
            var backAfter = Stopwatch.GetElapsedTime(killed);

            var recorded = await RecordedEventIdsAsync(database);
            var lost = acknowledged.Except(recorded).ToList();
            var partial = await PartialWritesAsync(database, load);
            var audit = await VerifyAuditAsync(service.Address);
            var asWritten = await ReadModelDigestAsync(database);
            await RebuildReadModelAsync(service.Address);
            var rebuilt = await ReadModelDigestAsync(database);

            // And it writes again.
            await using var after = new WriteLoad("kill-after", "kill", writers: 2, readers: 0, [service.Address], requestTimeout: TimeSpan.FromSeconds(30)) { RetryUntilAcknowledged = false };
            after.Start();
            await after.AcknowledgedMoreAsync(6, Bound);
            await after.StopAsync();

            Report($"SIGKILL under writes: {load.Summary()}");
            Report($"  faults injected: 1 SIGKILL with {writers} concurrent writers, after {load.AcknowledgedCount} acknowledged writes; {cutOff} writes got no answer (in flight or sent after the kill: outcome unknown to the client)");
            Report($"  events recorded {recorded.Count} (acknowledged {acknowledged.Count}, the rest from writes cut off after their commit); lost {lost.Count}; commands written in part {partial.Count}");
            Report($"  audit chain verifies: {audit.Ok} over {audit.Events} events; read model as written equals the rebuild: {asWritten == rebuilt}; ready again {Seconds(backAfter)} after the kill (process start included)");

            Assert.True(cutOff > 0, "the kill came in the middle of writes: some got no answer");
            Assert.Empty(lost);
            Assert.True(partial.Count == 0, string.Join("\n", partial));
            Assert.True(audit.Ok, "the audit chain verifies after the kill");
            Assert.Equal(recorded.Count, audit.Events);
            Assert.Equal(asWritten, rebuilt);
        }
        finally
        {
            await service.DisposeAsync();
        }
    }
}
