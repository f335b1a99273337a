using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Timeline.Domain.Policies;
using Timeline.Domain.Timelines;

namespace Timeline.Api.ReadModel;

/// <summary>
/// Keeps the read model from the log. For each record time at which an instrument's stream grew, it
/// builds the instrument's timeline as of then and as of the record time before, and writes the
/// difference: rows that no longer hold get their record interval closed, new rows open one. Runs
/// inline with every append, and over the whole log when the projection is rebuilt.
/// </summary>
public sealed class PolicyTimelineProjection(ReadModelTables tables) : IProjection
{
    public const string Name = "PolicyTimeline";

    private readonly ReadModelWriter _writer = new(tables);

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(events);
        foreach (var stream in events.GroupBy(e => e.StreamKey!, StringComparer.Ordinal))
        {
            var batch = stream.ToList();
            // Inline, the batch is not stored yet; in a rebuild it is, and later events may be too.
            var stored = await operations.Events.FetchStreamAsync(stream.Key, batch.Max(e => e.Version), token: cancellation);
            var history = stored.Concat(batch)
                .GroupBy(e => e.Version)
                .Select(sameVersion => ToRecorded(sameVersion.Last()))
                .OrderBy(e => e.Version)
                .ToList();

            foreach (var recordedAt in batch.Select(e => e.Timestamp).Distinct().Order())
            {
                var earlier = history.Where(e => e.RecordedAt < recordedAt).ToList();
                var before = earlier.Count == 0 ? null : PolicyTimeline.Build(history, earlier.Max(e => e.RecordedAt));
                var after = PolicyTimeline.Build(history, recordedAt);
                _writer.Write(operations, stream.Key, before, after, recordedAt);
            }
        }
    }

    public static RecordedEvent ToRecorded(IEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return new RecordedEvent(stored.Id, stored.StreamKey!, stored.Version, stored.Timestamp, (IPolicyEvent)stored.Data, stored.CausationId);
    }
}
