using Npgsql;

namespace Timeline.Api.Audit;

/// <summary>An event of the log as stored: its data as the JSON text PostgreSQL gives, its place in the chain if it has one.</summary>
public sealed record StoredEvent(
    long Sequence,
    Guid EventId,
    string StreamId,
    string Type,
    string? EffectiveAt,
    DateTimeOffset RecordedAt,
    string DataJson,
    AuditMetadata Metadata,
    string? PreviousHash,
    string? Hash)
{
    /// <summary>The event as the chain hashes it.</summary>
    public AuditEntry ToEntry() => AuditEntry.From(Sequence, EventId, StreamId, Type, RecordedAt, DataJson, Metadata);
}

/// <summary>Reads the log in sequence order, streaming: one row at a time, never the whole log in memory.</summary>
public sealed class AuditLogReader(AuditTables tables)
{
    /// <summary>Events after <paramref name="afterSequence"/>, up to <paramref name="limit"/>, recorded at or before <paramref name="asOf"/>, with their chain row if any.</summary>
    public async IAsyncEnumerable<StoredEvent> ReadAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        long afterSequence,
        long limit,
        DateTimeOffset? asOf,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = Command(connection, transaction, afterSequence, limit, asOf);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new StoredEvent(
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetString(3),
                await Text(reader, 4, cancellationToken),
                await reader.GetFieldValueAsync<DateTimeOffset>(5, cancellationToken),
                reader.GetString(6),
                new AuditMetadata(await Text(reader, 7, cancellationToken), await Text(reader, 8, cancellationToken), await Text(reader, 9, cancellationToken)),
                await Text(reader, 10, cancellationToken),
                await Text(reader, 11, cancellationToken));
        }
    }

    /// <summary>The query <see cref="ReadAsync"/> runs.</summary>
    internal NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, long afterSequence, long limit, DateTimeOffset? asOf)
    {
        // The chain is bounded as the events are: for a page of many rows the planner merges the two in sequence order,
        // and an unbounded chain side was read from its first row on every page (every batch write paid for the whole chain).
        var command = new NpgsqlCommand($"""
            select e.seq_id, e.id, e.stream_id, e.type, e.data ->> 'effectiveAt', e."timestamp", e.data::text, e.user_name, e.correlation_id, e.causation_id,
                   c.previous_hash, c.hash
            from {tables.EventsName} e left join {tables.ChainName} c on c.seq_id = e.seq_id and c.seq_id > @after
            where e.seq_id > @after {(asOf is null ? string.Empty : "and e.\"timestamp\" <= @as_of")}
            order by e.seq_id
            limit @limit
            """, connection, transaction);
        command.Parameters.AddWithValue("after", afterSequence);
        command.Parameters.AddWithValue("limit", limit);
        if (asOf is not null)
        {
            command.Parameters.AddWithValue("as_of", asOf.Value);
        }

        return command;
    }

    private static async Task<string?> Text(NpgsqlDataReader reader, int ordinal, CancellationToken cancellationToken) =>
        await reader.IsDBNullAsync(ordinal, cancellationToken) ? null : reader.GetString(ordinal);
}
