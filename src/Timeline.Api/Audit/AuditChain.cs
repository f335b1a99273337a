using Npgsql;
using NpgsqlTypes;

namespace Timeline.Api.Audit;

/// <summary>
/// Extends the hash chain over every event recorded after the last chained one. Called by the write path in
/// the append's own transaction, under the append lock, so the chain is written with the events, in one
/// order, whatever the number of writers; and at start-up for a log recorded before the chain existed.
/// </summary>
public sealed class AuditChain(AuditTables tables, AuditLogReader log)
{
    /// <summary>
    /// Chains the events a write has just appended, <paramref name="appended"/> of them, and any others the chain still
    /// lacks, a page at a time. Saying how many lets the planner read them by the log's sequence key: asked for all of
    /// them with no limit, on a young log's statistics (none yet early in a bulk import) it expected a third of the log
    /// and scanned it whole, in parallel, and sorted it (41 ms a batch at 100k events, 2 ms by the key).
    /// </summary>
    public async Task ExtendAfterAppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int appended, CancellationToken cancellationToken)
    {
        // One more than expected: a full page means the chain lacked more than this write's events, so go on.
        var page = appended + 1;
        while (await ExtendAsync(connection, transaction, page, cancellationToken) == page)
        {
        }
    }

    /// <summary>Chains up to <paramref name="maxEvents"/> unchained events; returns how many it chained.</summary>
    public async Task<int> ExtendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long maxEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var (lastSequence, lastHash) = await HeadAsync(connection, transaction, cancellationToken);
        var rows = new List<(long Sequence, Guid EventId, string PreviousHash, string Hash)>();
        await foreach (var stored in log.ReadAsync(connection, transaction, lastSequence, maxEvents, null, cancellationToken))
        {
            var hash = stored.ToEntry().HashAfter(lastHash);
            rows.Add((stored.Sequence, stored.EventId, lastHash, hash));
            lastHash = hash;
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        await using var copy = await connection.BeginBinaryImportAsync(
            $"copy {tables.ChainName} (seq_id, event_id, previous_hash, hash) from stdin (format binary)", cancellationToken);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(row.Sequence, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(row.EventId, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(row.PreviousHash, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.Hash, NpgsqlDbType.Text, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
        return rows.Count;
    }

    /// <summary>The last chained sequence and its hash (0 and the genesis hash for an empty chain).</summary>
    public async Task<(long Sequence, string Hash)> HeadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand($"select seq_id, hash from {tables.ChainName} order by seq_id desc limit 1", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(1)) : (0, AuditEntry.GenesisHash);
    }
}
