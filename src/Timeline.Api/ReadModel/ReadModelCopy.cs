using Npgsql;
using NpgsqlTypes;
using Weasel.Postgresql.Tables;

namespace Timeline.Api.ReadModel;

/// <summary>
/// Writes a whole read model with binary COPY, for a rebuild: the tables are emptied and their indexes dropped first,
/// and the indexes are built once at the end, which is far cheaper than keeping them row by row.
/// Everything happens in the caller's transaction: readers wait for its commit and never see a partial read model.
/// </summary>
internal sealed class ReadModelCopy(ReadModelTables tables)
{
    private static readonly NpgsqlDbType TextArray = NpgsqlDbType.Array | NpgsqlDbType.Text;

    public long VersionRows { get; private set; }

    public long ChangeRows { get; private set; }

    /// <summary>Empties both tables and drops their indexes, in the transaction.</summary>
    public async Task BeginAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var drops = Indexes().Select(index => $"drop index if exists {tables.Schema}.{index.Index.Name};");
        await ExecuteAsync(
            connection,
            transaction,
            $"truncate {tables.Versions.Identifier.QualifiedName}, {tables.Changes.Identifier.QualifiedName}, {tables.Topics.Identifier.QualifiedName}; {string.Join(' ', drops)}",
            cancellationToken);
    }

    /// <summary>Builds the indexes again (the same definitions the schema has), in the transaction.</summary>
    public async Task EndAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var (table, index) in Indexes())
        {
            await ExecuteAsync(connection, transaction, index.ToDDL(table), cancellationToken);
        }

        await ExecuteAsync(
            connection,
            transaction,
            $"analyze {tables.Versions.Identifier.QualifiedName}; analyze {tables.Changes.Identifier.QualifiedName}; analyze {tables.Topics.Identifier.QualifiedName}",
            cancellationToken);
    }

    public async Task WriteAsync(
        NpgsqlConnection connection, IReadOnlyList<VersionRow> versions, IReadOnlyList<ChangeRow> changes, IReadOnlyCollection<(string Topic, string PolicyId)> topics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(topics);
        if (topics.Count > 0)
        {
            // Distinct already: each stream is folded once, and its pairs name only it.
            await using var copy = await connection.BeginBinaryImportAsync(
                $"copy {tables.Topics.Identifier.QualifiedName} (topic, policy_id) from stdin (format binary)", cancellationToken);
            foreach (var (topic, policyId) in topics)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(topic, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(policyId, NpgsqlDbType.Text, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        if (versions.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync(
                $"copy {tables.Versions.Identifier.QualifiedName} (policy_id, valid_from, valid_to, recorded_from, recorded_to, status, kind, jurisdiction, topics, state) from stdin (format binary)",
                cancellationToken);
            foreach (var row in versions)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(row.PolicyId, NpgsqlDbType.Text, cancellationToken);
                await WriteInstantAsync(copy, row.ValidFrom, cancellationToken);
                await WriteInstantAsync(copy, row.ValidTo, cancellationToken);
                await WriteInstantAsync(copy, row.RecordedFrom, cancellationToken);
                await WriteInstantAsync(copy, row.RecordedTo, cancellationToken);
                await copy.WriteAsync(row.Status, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(row.Kind, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(row.Jurisdiction, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(row.Topics, TextArray, cancellationToken);
                await copy.WriteAsync(row.State, NpgsqlDbType.Jsonb, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
            VersionRows += versions.Count;
        }

        if (changes.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync(
                $"copy {tables.Changes.Identifier.QualifiedName} (policy_id, change_key, event_id, version, type, effective_at, recorded_from, recorded_to, summary, citation, source_url, kind, jurisdiction, topics, title) from stdin (format binary)",
                cancellationToken);
            foreach (var row in changes)
            {
                await copy.StartRowAsync(cancellationToken);
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
            }

            await copy.CompleteAsync(cancellationToken);
            ChangeRows += changes.Count;
        }
    }

    private IEnumerable<(Table Table, IndexDefinition Index)> Indexes() =>
        tables.Versions.Indexes.OfType<IndexDefinition>().Select(index => (tables.Versions, index))
            .Concat(tables.Changes.Indexes.OfType<IndexDefinition>().Select(index => (tables.Changes, index)));

    // Instants are kept at microsecond resolution in UTC (Instants.Normalize), which is what timestamptz holds.
    private static Task WriteInstantAsync(NpgsqlBinaryImporter copy, DateTimeOffset? value, CancellationToken cancellationToken) =>
        value is { } instant ? copy.WriteAsync(instant.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static Task WriteTextAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } present ? copy.WriteAsync(present, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
