using System.Diagnostics;
using Timeline.Api.ReadModel;
using Timeline.Benchmarks.Generation;
using Timeline.Domain.Policies;
using Timeline.Testing;

namespace Timeline.Benchmarks.Measuring;

/// <summary>
/// The read model's fold without a database: every stream of a synthetic record replayed in memory, its rows computed
/// at every record time it grew, as a rebuild does (<see cref="ReadModelWriter.WriteStream"/>). One core; the
/// ceiling a rebuild or an import can reach on the service's side.
/// </summary>
public static class FoldThroughput
{
    public static (double EventsPerSecond, long Events, long VersionRows) Run(long events, int seed)
    {
        var log = new InMemoryPolicyLog();
        var ids = new Dictionary<long, Guid>();
        var recordedAt = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var (write, _) in SyntheticRecord.Generate(events, seed))
        {
            recordedAt = recordedAt.AddSeconds(1);
            var decision = log.Execute(write.ToCommand(write.CorrectsWrite is { } target ? ids[target] : null), recordedAt);
            if (decision.Rejection is { } rejection)
            {
                throw new InvalidOperationException($"Write {write.Number} was refused in memory: {rejection.Detail}");
            }

            ids[write.Number] = decision.Events[0].EventId;
        }

        var streams = log.Histories.Values.ToList();
        long rows = 0;
        var clock = Stopwatch.StartNew();
        foreach (var history in streams)
        {
            var changes = ReadModelWriter.Begin();
            ReadModelWriter.WriteStream(changes, history[0].PolicyId, history, history.Select(e => e.RecordedAt).Distinct().Order());
            rows += changes.InsertedVersions.Count;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return (log.Events.Count / seconds, log.Events.Count, rows);
    }
}
