using Npgsql;

namespace Timeline.Api.Audit;

/// <summary>Reads the log in sequence order as audit entries, streaming: one row at a time, never the whole log in memory.</summary>
public sealed class AuditLogReader(AuditTables tables)
{
    /// <summary>Events after <paramref name="afterSequence"/>, up to <paramref name="limit"/>, recorded at or before <paramref name="asOf"/>, with their chain row if any.</summary>
    public async IAsyncEnumerable<(AuditEntry Entry, string? PreviousHash, string? Hash)> ReadAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        long afterSequence,
        long limit,
        DateTimeOffset? asOf,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            select e.seq_id, e.id, e.stream_id, e.type, e."timestamp", e.data::text, e.user_name, e.correlation_id, e.causation_id,
                   c.previous_hash, c.hash
            from {tables.EventsName} e left join {tables.ChainName} c on c.seq_id = e.seq_id
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

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var entry = AuditEntry.From(
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetString(3),
                await reader.GetFieldValueAsync<DateTimeOffset>(4, cancellationToken),
                reader.GetString(5),
                new AuditMetadata(await Text(reader, 6, cancellationToken), await Text(reader, 7, cancellationToken), await Text(reader, 8, cancellationToken)));
            yield return (entry, await Text(reader, 9, cancellationToken), await Text(reader, 10, cancellationToken));
        }
    }

    private static async Task<string?> Text(NpgsqlDataReader reader, int ordinal, CancellationToken cancellationToken) =>
        await reader.IsDBNullAsync(ordinal, cancellationToken) ? null : reader.GetString(ordinal);
}
