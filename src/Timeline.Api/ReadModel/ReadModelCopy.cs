using Npgsql;
using NpgsqlTypes;

namespace Timeline.Api.ReadModel;

/// <summary>
/// Writes rows into a read model's tables with binary COPY, for a rebuild (into its shadow tables, which have no
/// indexes yet: building them once at the end is far cheaper than keeping them row by row). Each call is one COPY on
/// the caller's connection; the counts add up over calls from any thread.
/// </summary>
internal sealed class ReadModelCopy(ReadModelTables tables)
{
    private static readonly NpgsqlDbType TextArray = NpgsqlDbType.Array | NpgsqlDbType.Text;

    private long _versionRows;
    private long _changeRows;

    public long VersionRows => Interlocked.Read(ref _versionRows);

    public long ChangeRows => Interlocked.Read(ref _changeRows);

    /// <summary>Takes rows written before and deleted since (a rebuild's catch-up) off the counts.</summary>
    public void Forget(long versionRows, long changeRows)
    {
        Interlocked.Add(ref _versionRows, -versionRows);
        Interlocked.Add(ref _changeRows, -changeRows);
    }

    // Distinct already: each stream is folded once, and its pairs name only it.
    public Task WriteTopicsAsync(NpgsqlConnection connection, IReadOnlyCollection<(string Topic, string PolicyId)> topics, CancellationToken cancellationToken) =>
        CopyAsync(
            connection,
            $"copy {tables.Topics.Identifier.QualifiedName} (topic, policy_id) from stdin (format binary)",
            topics,
            async (copy, pair) =>
            {
                await copy.WriteAsync(pair.Topic, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(pair.PolicyId, NpgsqlDbType.Text, cancellationToken);
            },
            cancellationToken);

    public async Task WriteVersionsAsync(NpgsqlConnection connection, IReadOnlyList<VersionRow> versions, CancellationToken cancellationToken)
    {
        await CopyAsync(
            connection,
            $"copy {tables.Versions.Identifier.QualifiedName} (policy_id, valid_from, valid_to, recorded_from, recorded_to, status, kind, jurisdiction, topics, state) from stdin (format binary)",
            versions,
            async (copy, row) =>
            {
                await copy.WriteAsync(row.PolicyId, NpgsqlDbType.Text, cancellationToken);
                await WriteInstantAsync(copy, row.ValidFrom, cancellationToken);
                await WriteInstantAsync(copy, row.ValidTo, cancellationToken);
                await WriteInstantAsync(copy, row.RecordedFrom, cancellationToken);
                await WriteInstantAsync(copy, row.RecordedTo, cancellationToken);
                await copy.WriteAsync(row.Status, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(row.Kind, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(row.Jurisdiction, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(row.Topics, TextArray, cancellationToken);
                await copy.WriteAsync(row.State, NpgsqlDbType.Text, cancellationToken);
            },
            cancellationToken);
        Interlocked.Add(ref _versionRows, versions.Count);
    }

    public async Task WriteChangesAsync(NpgsqlConnection connection, IReadOnlyList<ChangeRow> changes, CancellationToken cancellationToken)
    {
        await CopyAsync(
            connection,
            $"copy {tables.Changes.Identifier.QualifiedName} (policy_id, change_key, event_id, version, type, effective_at, recorded_from, recorded_to, summary, citation, source_url, kind, jurisdiction, topics, title) from stdin (format binary)",
            changes,
            async (copy, row) =>
            {
                await copy.WriteAsync(row.PolicyId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(row.ChangeKey, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, row.EventId, NpgsqlDbType.Uuid, cancellationToken);
                await WriteNullableAsync(copy, row.Version, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(row.Type, NpgsqlDbType.Text, cancellationToken);
                await WriteInstantAsync(copy, row.EffectiveAt, cancellationToken);
                await WriteInstantAsync(copy, row.RecordedFrom, cancellationToken);
                await WriteInstantAsync(copy, row.RecordedTo, cancellationToken);
                await copy.WriteAsync(row.Summary, NpgsqlDbType.Text, cancellationToken);
                await WriteTextAsync(copy, row.Citation, cancellationToken);
                await WriteTextAsync(copy, row.SourceUrl, cancellationToken);
                await copy.WriteAsync(row.Kind, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(row.Jurisdiction, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(row.Topics, TextArray, cancellationToken);
                await copy.WriteAsync(row.Title, NpgsqlDbType.Text, cancellationToken);
            },
            cancellationToken);
        Interlocked.Add(ref _changeRows, changes.Count);
    }

    /// <summary>One COPY of <paramref name="rows"/>, each written by <paramref name="writeRow"/>; nothing when there are none.</summary>
    private static async Task CopyAsync<T>(
        NpgsqlConnection connection, string copyCommand, IReadOnlyCollection<T> rows, Func<NpgsqlBinaryImporter, T, Task> writeRow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        await using var copy = await connection.BeginBinaryImportAsync(copyCommand, cancellationToken);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(cancellationToken);
            await writeRow(copy, row);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    // Instants are kept at microsecond resolution in UTC (Instants.Normalize), which is what timestamptz holds.
    private static Task WriteInstantAsync(NpgsqlBinaryImporter copy, DateTimeOffset? value, CancellationToken cancellationToken) =>
        value is { } instant ? copy.WriteAsync(instant.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static Task WriteTextAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } present ? copy.WriteAsync(present, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);
}
