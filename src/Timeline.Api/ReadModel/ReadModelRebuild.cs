using System.Data.Common;
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
/// <para>
/// The new rows go into shadow tables beside the live ones (<see cref="ReadModelShadow"/>) while reads and writes go
/// on: the log up to its last event is read once in stream order, each stream's rows are computed at every record time
/// it grew, on every core, encoded for COPY on the same threads and copied in on two connections (version rows on
/// one, change rows and topics on the other); each table's indexes are built, several at once, as soon as it is filled
/// (the version rows' last). Only then, with the live tables held against autovacuum, does the rebuild take the append
/// lock: the streams appended to meanwhile are folded again from their whole history, and the shadow replaces the
/// live tables (renamed aside, dropped after the commit) in the same short transaction. Writes, and reads as of now,
/// wait only for that last step; no read sees a partial read model. Rebuilds run one at a time (a session lock): a
/// second waits for the first.
/// </para>
/// </summary>
public sealed class ReadModelRebuild(IDocumentStore store, NpgsqlDataSource dataSource, RecordClock recordClock, ReadModelTables tables, ILogger<ReadModelRebuild> logger)
{
    /// <summary>Version rows gathered before they are copied: bounds memory at any size of log.</summary>
    private const int CopyChunk = 20_000;

    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    private readonly string _rebuildLock = $"timeline.rebuild:{tables.Schema}";

    private readonly LogEvents _log = new(store);

    /// <summary>For tests: runs once the shadow is filled and indexed, before the append lock is taken.</summary>
    internal Func<CancellationToken, Task>? BeforeCatchUp { get; set; }

    public async Task<RebuildFigures> RunAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var token = deadline.Token;
        var started = Stopwatch.StartNew();
        var shadow = new ReadModelShadow(tables, dataSource);
        var copy = new ReadModelCopy(shadow.Tables);
        await using var connection = await dataSource.OpenConnectionAsync(token);

        // One rebuild at a time, held by this session from before the shadow is made until after it is swapped in or
        // dropped: a rebuild that fails never drops the shadow of the one after it.
        await ExecuteAsync(connection, null, "select pg_advisory_lock(hashtextextended(@name, 0))", token, ("name", _rebuildLock));
        try
        {
            await shadow.CreateAsync(token);

            // The log as it stands: every event up to the last one committed. Appends are serialised by the append lock,
            // so any later commit has a later sequence, and the catch-up below finds it.
            var upTo = await ScalarAsync(connection, null, $"select coalesce(max(seq_id), 0) from {tables.Schema}.mt_events", token);
            var total = await ScalarAsync(connection, null, $"select count(*) from {tables.Schema}.mt_events where seq_id <= @upTo", token, ("upTo", upTo));
            var (events, streams) = await CopyLogAsync(shadow, copy, upTo, total, started, deadline);

            var copied = started.Elapsed;
            logger.LogInformation("Rebuilding the read model: {Events:N0} events folded and copied in {Copied}, building the version rows' indexes", events, copied);
            await shadow.IndexVersionsAsync(token);
            var indexed = started.Elapsed;
            if (BeforeCatchUp is { } beforeCatchUp)
            {
                await beforeCatchUp(token);
            }

            await using var transaction = await connection.BeginTransactionAsync(token);
            await shadow.HoldLiveTablesAsync(connection, transaction, token);
            var held = started.Elapsed;
            // From here writes wait, and so do reads as of now: the log cannot grow until the shadow is in place.
            await recordClock.LockAsync(connection, transaction, token);
            var (newEvents, newStreams) = await CatchUpAsync(connection, transaction, shadow, copy, upTo, token);
            await shadow.SwapAsync(connection, transaction, token);
            await transaction.CommitAsync(token);
            var swapped = started.Elapsed;
            try
            {
                // The rebuild is done: a failure here only leaves the old tables for the next rebuild to drop.
                await shadow.DropRetiredAsync(CancellationToken.None);
            }
            catch (DbException exception)
            {
                logger.LogWarning(exception, "Rebuilt the read model, but could not drop the tables it replaced (names ending {Suffix}); the next rebuild drops them", ReadModelTables.RetiredSuffix);
            }

            var figures = new RebuildFigures(events + newEvents, streams + newStreams, copy.VersionRows, copy.ChangeRows, started.Elapsed);
            logger.LogInformation(
                "Rebuilt the read model from {Events:N0} events of {Streams:N0} instruments in {Elapsed} ({CaughtUp:N0} appended meanwhile): {VersionRows:N0} version rows, {ChangeRows:N0} change rows; reading, folding and copying {Copied}, the version rows' indexes and statistics {Indexing}, holding the live tables {Holding}, the catch-up and swap under the append lock {Swapping}, dropping the old tables {Dropping}",
                figures.Events, figures.Streams, figures.Elapsed, newEvents, figures.VersionRows, figures.ChangeRows, copied, indexed - copied, held - indexed, swapped - held, figures.Elapsed - swapped);
            return figures;
        }
        catch
        {
            // The live tables are untouched until the swap commits (its transaction is rolled back by now): what is
            // left to undo is the shadow.
            await shadow.DropAsync(CancellationToken.None);
            throw;
        }
        finally
        {
            // Also released when the session ends (a broken connection, or the pool's reset).
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await ExecuteAsync(connection, null, "select pg_advisory_unlock(hashtextextended(@name, 0))", CancellationToken.None, ("name", _rebuildLock));
            }
        }
    }

    /// <summary>
    /// Reads the log up to <paramref name="upTo"/> in (stream, version) order, folds each stream on every core, encodes
    /// its rows into the folding thread's chunk, and copies full chunks into the shadow on two connections (version rows
    /// on one, change rows and topics on the other), all at once; the change rows' and topics' indexes are built as soon
    /// as they are copied.
    /// </summary>
    private async Task<(long Events, long Streams)> CopyLogAsync(
        ReadModelShadow shadow, ReadModelCopy copy, long upTo, long total, Stopwatch started, CancellationTokenSource deadline)
    {
        var token = deadline.Token;
        var streams = Channel.CreateBounded<List<RecordedEvent>>(new BoundedChannelOptions(1_000) { SingleWriter = true });
        var versionChunks = Channel.CreateBounded<CopyChunk>(new BoundedChannelOptions(2) { SingleReader = true });
        var changeChunks = Channel.CreateBounded<CopyChunk>(new BoundedChannelOptions(2) { SingleReader = true });
        long events = 0, streamCount = 0;
        var lastProgress = started.Elapsed;
        Task[] stages =
        [
            Stage(() => ReadStreamsAsync(streams.Writer, upTo, token)),
            Stage(() => FoldAllAsync(streams.Reader, [versionChunks.Writer, changeChunks.Writer], token)),
            Stage(() => CopyChunksAsync(
                versionChunks.Reader,
                [shadow.Tables.Versions],
                async (connection, chunk, innerToken) =>
                {
                    using (chunk.Versions)
                    {
                        await copy.WriteVersionsAsync(connection, chunk.Versions, frozen: true, innerToken);
                    }

                    (events, streamCount) = (events + chunk.Events, streamCount + chunk.Streams);
                    if (started.Elapsed - lastProgress > ProgressEvery)
                    {
                        lastProgress = started.Elapsed;
                        logger.LogInformation(
                            "Rebuilding the read model: {Events:N0} of {Total:N0} events, {Rate:N0} events/s", events, total, events / started.Elapsed.TotalSeconds);
                    }
                },
                token)),

            // The change rows and topics finish copying first (fewer, cheaper rows): their indexes are built while the
            // version rows, the copy phase's longest part, are still being copied.
            Stage(async () =>
            {
                await CopyChunksAsync(
                    changeChunks.Reader,
                    [shadow.Tables.Changes, shadow.Tables.Topics],
                    async (connection, chunk, innerToken) =>
                    {
                        using (chunk.Changes)
                        using (chunk.Topics)
                        {
                            await copy.WriteChangesAsync(connection, chunk.Changes, frozen: true, innerToken);
                            await copy.WriteTopicsAsync(connection, chunk.Topics, frozen: true, innerToken);
                        }
                    },
                    token);
                await shadow.IndexChangesAndTopicsAsync(token);
            }),
        ];
        try
        {
            await Task.WhenAll(stages);
        }
        catch
        {
            // A stage that failed cancelled the others (they would wait for ever on channels nobody serves any more):
            // report its failure, not their cancellation.
            var failure = stages.Select(stage => stage.Exception?.InnerException).FirstOrDefault(exception => exception is not null and not OperationCanceledException);
            if (failure is null)
            {
                throw;
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return (events, streamCount);

        // A stage of the pipeline on the thread pool; one that fails cancels the deadline, which stops the others.
        Task Stage(Func<Task> run) => Task.Run(
            async () =>
            {
                try
                {
                    await run();
                }
                catch
                {
                    await deadline.CancelAsync();
                    throw;
                }
            },
            token);
    }

    /// <summary>
    /// Folds the streams on every core, each thread encoding the rows into a chunk of its own (taken from the idle
    /// ones, so no two threads write one), and sends a chunk to every copier once it holds enough version rows; the
    /// chunks left partly filled go last.
    /// </summary>
    private static async Task FoldAllAsync(ChannelReader<List<RecordedEvent>> streams, ChannelWriter<CopyChunk>[] copiers, CancellationToken cancellationToken)
    {
        var idle = new System.Collections.Concurrent.ConcurrentBag<CopyChunk>();
        await Parallel.ForEachAsync(
            streams.ReadAllAsync(cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (history, innerToken) =>
            {
                var chunk = idle.TryTake(out var taken) ? taken : new CopyChunk();
                chunk.Add(Fold(history), history.Count);
                if (chunk.Versions.Count >= CopyChunk)
                {
                    await SendAsync(chunk, innerToken);
                }
                else
                {
                    idle.Add(chunk);
                }
            });
        foreach (var chunk in idle)
        {
            await SendAsync(chunk, cancellationToken);
        }

        foreach (var copier in copiers)
        {
            copier.Complete();
        }

        async Task SendAsync(CopyChunk chunk, CancellationToken token)
        {
            foreach (var copier in copiers)
            {
                await copier.WriteAsync(chunk, token);
            }
        }
    }

    /// <summary>
    /// Copies chunks as they come into <paramref name="filled"/>, each with one COPY, on a connection of its own and in
    /// one transaction that empties the tables first, so the rows go in frozen (<see cref="ReadModelShadow.EmptyForFrozenCopyAsync"/>).
    /// </summary>
    private async Task CopyChunksAsync<T>(
        ChannelReader<T> chunks, Weasel.Postgresql.Tables.Table[] filled, Func<NpgsqlConnection, T, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ReadModelShadow.EmptyForFrozenCopyAsync(connection, transaction, filled, cancellationToken);
        await foreach (var chunk in chunks.ReadAllAsync(cancellationToken))
        {
            await write(connection, chunk, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Under the append lock: the streams appended to after <paramref name="upTo"/> lose their rows in the shadow and get
    /// them again from their whole history, which now includes those events.
    /// </summary>
    private async Task<(long Events, long Streams)> CatchUpAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ReadModelShadow shadow, ReadModelCopy copy, long upTo, CancellationToken cancellationToken)
    {
        // The appended events lie between upTo and the log's head, stated as both bounds: stated as "after upTo" alone, on
        // the statistics a rebuild finds after a bulk import the planner expected a large share of the log and scanned all
        // of it, under the append lock (30 ms at 100k events, auto_explain).
        var events = $"{tables.Schema}.mt_events";
        var head = await ScalarAsync(connection, transaction, $"select coalesce(max(seq_id), 0) from {events}", cancellationToken);
        if (head <= upTo)
        {
            return (0, 0);
        }

        long appended;
        string[] ids;
        await using (var command = Command(
            connection,
            transaction,
            $"select count(*), coalesce(array_agg(distinct stream_id), '{{}}') from {events} where seq_id > @upTo and seq_id <= @head and not is_archived",
            [("upTo", upTo), ("head", head)]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (appended, ids) = (reader.GetInt64(0), await reader.GetFieldValueAsync<string[]>(1, cancellationToken));
        }

        var rows = new RowChanges();
        await using (var command = Command(connection, transaction, _log.QueryStreams("@ids"), [("ids", ids)]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            // Each stream's events come together, in version order: folded with its whole history, which now includes them.
            List<RecordedEvent>? stream = null;
            while (await reader.ReadAsync(cancellationToken))
            {
                var recorded = _log.Read(reader);
                if (stream is not null && !string.Equals(stream[0].PolicyId, recorded.PolicyId, StringComparison.Ordinal))
                {
                    rows.Add(Fold(stream));
                    stream = null;
                }

                (stream ??= []).Add(recorded);
            }

            if (stream is not null)
            {
                rows.Add(Fold(stream));
            }
        }

        var deleted = await DeleteRowsOfAsync(connection, transaction, shadow.Tables, ids, cancellationToken);
        copy.Forget(deleted.VersionRows, deleted.ChangeRows);
        await copy.WriteAsync(connection, rows, cancellationToken);
        return (appended, ids.Length);
    }

    private static async Task<(long VersionRows, long ChangeRows)> DeleteRowsOfAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ReadModelTables shadow, string[] policyIds, CancellationToken cancellationToken)
    {
        var versions = await ExecuteAsync(connection, transaction, $"delete from {shadow.Versions.Identifier.QualifiedName} where policy_id = any(@ids)", cancellationToken, ("ids", policyIds));
        var changes = await ExecuteAsync(connection, transaction, $"delete from {shadow.Changes.Identifier.QualifiedName} where policy_id = any(@ids)", cancellationToken, ("ids", policyIds));
        await ExecuteAsync(connection, transaction, $"delete from {shadow.Topics.Identifier.QualifiedName} where policy_id = any(@ids)", cancellationToken, ("ids", policyIds));
        return (versions, changes);
    }

    /// <summary>Every row of one stream: at each record time it grew, its timeline then against the one before.</summary>
    private static RowChanges Fold(List<RecordedEvent> history)
    {
        var rows = new RowChanges();
        ReadModelWriter.WriteStream(rows, history[0].PolicyId, history, history.Select(e => e.RecordedAt).Distinct().Order());
        if (rows.ClosedVersions.Count > 0 || rows.ClosedChanges.Count > 0)
        {
            // With the whole stream in hand every closed row was opened here; anything else is a bug in the fold.
            throw new InvalidOperationException($"The rebuild of '{history[0].PolicyId}' closed rows it never opened.");
        }

        // In the bounds index's order: the streams come in id order, so the index builds find the rows (nearly) sorted.
        rows.InsertedVersions.Sort(VersionRow.CompareBounds);
        return rows;
    }

    /// <summary>Reads the log up to <paramref name="upTo"/> in (stream, version) order on its own connection, one stream at a time.</summary>
    private async Task ReadStreamsAsync(ChannelWriter<List<RecordedEvent>> streams, long upTo, CancellationToken cancellationToken)
    {
        try
        {
            // In stream order straight off the log's (stream, version) key: left to itself the planner sorts the whole
            // log first (a parallel scan and a sort far beyond work_mem, spilled to disk at a million events), and no
            // stream reaches the folders until the sort is done.
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
            await ExecuteAsync(connection, transaction, "set local enable_sort = off", cancellationToken);
            await using var command = Command(connection, transaction, _log.Query("seq_id <= @upTo"), [("upTo", upTo)]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            List<RecordedEvent>? current = null;
            while (await reader.ReadAsync(cancellationToken))
            {
                var recorded = _log.Read(reader);
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

    private static async Task<long> ScalarAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<int> ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
