using System.Diagnostics;
using System.Threading.Channels;
using Marten;
using Npgsql;
using Timeline.Api.Database;
using Timeline.Domain.Policies;

namespace Timeline.Api.ReadModel;

/// <summary>What a rebuild did.</summary>
public sealed record RebuildFigures(long Events, long Streams, long VersionRows, long ChangeRows, TimeSpan Elapsed);

/// <summary>
/// Throws the read model away and builds it again from the log, with the projection's own row logic
/// (<see cref="ReadModelWriter.WriteStream"/>): the log is the source of truth, and the rows come back the same.
/// The log is read once in stream order; each stream's rows are computed at every record time it grew, on every core,
/// while the rows computed before are copied in with binary COPY; the indexes are built once at the end (<see cref="ReadModelCopy"/>).
/// The rebuild holds the append lock and replaces the tables in one transaction: writes wait, and reads wait for
/// the commit instead of seeing a partial read model.
/// </summary>
public sealed class ReadModelRebuild(IDocumentStore store, NpgsqlDataSource dataSource, RecordClock recordClock, ReadModelTables tables, ILogger<ReadModelRebuild> logger)
{
    /// <summary>Version rows gathered before they are copied: bounds memory at any size of log.</summary>
    private const int CopyChunk = 20_000;

    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    public async Task<RebuildFigures> RunAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var token = deadline.Token;
        var started = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync(token);
        await using var transaction = await connection.BeginTransactionAsync(token);
        await recordClock.LockAsync(connection, transaction, token);
        var total = await CountEventsAsync(connection, transaction, token);
        var copy = new ReadModelCopy(tables);
        await copy.BeginAsync(connection, transaction, token);

        var streams = Channel.CreateBounded<List<RecordedEvent>>(new BoundedChannelOptions(1_000) { SingleWriter = true });
        var rows = Channel.CreateBounded<StreamRows>(new BoundedChannelOptions(1_000) { SingleReader = true });
        var reading = Task.Run(() => ReadStreamsAsync(streams.Writer, token), token);
        var folding = Task.Run(
            async () =>
            {
                try
                {
                    await Parallel.ForEachAsync(
                        streams.Reader.ReadAllAsync(token),
                        new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = token },
                        async (history, innerToken) => await rows.Writer.WriteAsync(Fold(history), innerToken));
                    rows.Writer.Complete();
                }
                catch (Exception exception)
                {
                    rows.Writer.Complete(exception);
                    throw;
                }
            },
            token);

        long events = 0, streamCount = 0;
        try
        {
            var versions = new List<VersionRow>(CopyChunk);
            var changes = new List<ChangeRow>(CopyChunk);
            var topics = new List<(string Topic, string PolicyId)>();
            var lastProgress = started.Elapsed;
            await foreach (var stream in rows.Reader.ReadAllAsync(token))
            {
                versions.AddRange(stream.InsertedVersions);
                changes.AddRange(stream.InsertedChanges);
                topics.AddRange(stream.Topics);
                events += stream.Events;
                streamCount++;
                if (versions.Count >= CopyChunk)
                {
                    await copy.WriteAsync(connection, versions, changes, topics, token);
                    versions.Clear();
                    changes.Clear();
                    topics.Clear();
                    if (started.Elapsed - lastProgress > ProgressEvery)
                    {
                        lastProgress = started.Elapsed;
                        logger.LogInformation(
                            "Rebuilding the read model: {Events:N0} of {Total:N0} events, {Rate:N0} events/s", events, total, events / started.Elapsed.TotalSeconds);
                    }
                }
            }

            await copy.WriteAsync(connection, versions, changes, topics, token);
            await Task.WhenAll(reading, folding);
        }
        catch
        {
            // The reader and the folders wait on full channels nobody drains any more: stop them before the rollback.
            await deadline.CancelAsync();
            throw;
        }

        logger.LogInformation("Rebuilding the read model: {Events:N0} events folded, building the indexes", events);
        await copy.EndAsync(connection, transaction, token);
        await transaction.CommitAsync(token);
        var figures = new RebuildFigures(events, streamCount, copy.VersionRows, copy.ChangeRows, started.Elapsed);
        logger.LogInformation(
            "Rebuilt the read model from {Events:N0} events of {Streams:N0} instruments in {Elapsed}: {VersionRows:N0} version rows, {ChangeRows:N0} change rows",
            figures.Events, figures.Streams, figures.Elapsed, figures.VersionRows, figures.ChangeRows);
        return figures;
    }

    /// <summary>Every row of one stream: at each record time it grew, its timeline then against the one before.</summary>
    private static StreamRows Fold(List<RecordedEvent> history)
    {
        var rows = new StreamRows(history.Count);
        ReadModelWriter.WriteStream(rows, history[0].PolicyId, history, history.Select(e => e.RecordedAt).Distinct().Order());
        if (rows.ClosedVersions.Count > 0 || rows.ClosedChanges.Count > 0)
        {
            // With the whole stream in hand every closed row was opened here; anything else is a bug in the fold.
            throw new InvalidOperationException($"The rebuild of '{history[0].PolicyId}' closed rows it never opened.");
        }

        return rows;
    }

    /// <summary>Reads the log in (stream, version) order on its own connection, one stream at a time.</summary>
    private async Task ReadStreamsAsync(ChannelWriter<List<RecordedEvent>> streams, CancellationToken cancellationToken)
    {
        try
        {
            // Started after the append lock is held: its snapshot sees every committed append, and no more can come.
            await using var session = store.QuerySession();
            var query = session.Events.QueryAllRawEvents().OrderBy(e => e.StreamKey).ThenBy(e => e.Version);
            List<RecordedEvent>? current = null;
            await foreach (var stored in query.ToAsyncEnumerable(cancellationToken))
            {
                var recorded = PolicyTimelineProjection.ToRecorded(stored);
                if (current is not null && !string.Equals(current[0].PolicyId, recorded.PolicyId, StringComparison.Ordinal))
                {
                    await streams.WriteAsync(current, cancellationToken);
                    current = null;
                }

                (current ??= []).Add(recorded);
            }

            if (current is not null)
            {
                await streams.WriteAsync(current, cancellationToken);
            }

            streams.Complete();
        }
        catch (Exception exception)
        {
            streams.Complete(exception);
            throw;
        }
    }

    private async Task<long> CountEventsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"select count(*) from {tables.Schema}.mt_events", connection, transaction) { CommandTimeout = 0 };
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The rows of one stream, and how many events it had.</summary>
    private sealed class StreamRows(int events) : RowChanges
    {
        public int Events { get; } = events;
    }
}
