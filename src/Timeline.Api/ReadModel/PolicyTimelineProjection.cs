using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Timeline.Domain.Policies;

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
        var streams = events.GroupBy(e => e.StreamKey!, StringComparer.Ordinal).ToList();
        var rows = ReadModelWriter.Begin();
        if (KnownHistories.For(operations) is { } historyOf && streams.All(stream => historyOf(stream.Key) is not null))
        {
            // A batch writer's session: it holds every stream of the page, its new events included. A stream's rows
            // depend on that stream alone, so the streams are folded on every core while the database waits for them
            // (as a rebuild folds them), then gathered in the page's order.
            var perStream = new RowChanges[streams.Count];
            Parallel.For(0, streams.Count, index =>
            {
                var stream = streams[index];
                perStream[index] = new RowChanges();
                ReadModelWriter.WriteStream(perStream[index], stream.Key, historyOf(stream.Key)!, stream.Select(e => e.Timestamp).Distinct().Order());
            });
            foreach (var stream in perStream)
            {
                rows.Add(stream);
            }

            _writer.Flush(operations, rows);
            return;
        }

        var stored = await StoredAsync(operations, streams, cancellation);
        foreach (var stream in streams)
        {
            var batch = stream.ToList();
            // Inline, the batch is not stored yet; in a rebuild it is, and later events may be too.
            var upTo = batch.Max(e => e.Version);
            var history = stored[stream.Key].Where(e => e.Version <= upTo).Concat(batch)
                .GroupBy(e => e.Version)
                .Select(sameVersion => ToRecorded(sameVersion.Last()))
                .OrderBy(e => e.Version)
                .ToList();

            ReadModelWriter.WriteStream(rows, stream.Key, history, batch.Select(e => e.Timestamp).Distinct().Order());
        }

        _writer.Flush(operations, rows);
    }

    /// <summary>The stored events of every stream of the page, in one query rather than one per stream.</summary>
    private static async Task<Dictionary<string, List<IEvent>>> StoredAsync(
        IDocumentOperations operations, List<IGrouping<string, IEvent>> streams, CancellationToken cancellation)
    {
        var keys = streams.Select(stream => stream.Key).ToArray();
        var stored = keys.ToDictionary(key => key, _ => new List<IEvent>(), StringComparer.Ordinal);
        var maxSequence = streams.SelectMany(stream => stream).Max(e => e.Sequence);
        // Inline, the page's events have no sequence yet (0): every stored event of the stream is earlier.
        var query = operations.Events.QueryAllRawEvents().Where(e => e.StreamKey!.IsOneOf(keys));
        if (maxSequence > 0)
        {
            query = query.Where(e => e.Sequence <= maxSequence);
        }

        foreach (var e in await query.ToListAsync(cancellation))
        {
            stored[e.StreamKey!].Add(e);
        }

        return stored;
    }

    public static RecordedEvent ToRecorded(IEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return new RecordedEvent(stored.Id, stored.StreamKey!, stored.Version, stored.Timestamp, (IPolicyEvent)stored.Data, stored.CausationId);
    }
}
