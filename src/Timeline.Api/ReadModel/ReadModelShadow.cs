using Npgsql;
using Weasel.Postgresql.Tables;

namespace Timeline.Api.ReadModel;

/// <summary>
/// A rebuild's shadow of the read model: the same tables beside the live ones (<see cref="ReadModelTables.Shadow"/>),
/// created empty without indexes, filled, indexed on several connections at once, then swapped in by one short
/// transaction that drops the live tables and gives the shadow their names. Until the swap nobody reads the shadow,
/// so reads and writes go on against the live tables; a failed rebuild drops it and leaves the live ones as they were.
/// </summary>
internal sealed class ReadModelShadow(ReadModelTables live, NpgsqlDataSource dataSource)
{
    /// <summary>Connections that build indexes at once: one per core, as the fold uses (more only queue for the CPU).</summary>
    private static readonly int Builders = Math.Max(2, Environment.ProcessorCount);

    public ReadModelTables Tables { get; } = live.Shadow();

    private IEnumerable<(string Live, string Shadow)> TableNames() =>
    [
        (live.Versions.Identifier.QualifiedName, Tables.Versions.Identifier.QualifiedName),
        (live.Changes.Identifier.QualifiedName, Tables.Changes.Identifier.QualifiedName),
        (live.Topics.Identifier.QualifiedName, Tables.Topics.Identifier.QualifiedName),
    ];

    /// <summary>
    /// Creates the shadow tables empty, with the live tables' columns and no index (and drops what a rebuild that
    /// died left of them). Committed at once: the connections that fill them must see them. Autovacuum leaves them
    /// alone until the swap: it vacuumed and analysed a table being filled again each time it grew by a fifth, a
    /// rebuild's own work done over on its two cores, and the rebuild analyses each table once it is indexed.
    /// </summary>
    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            string.Concat(TableNames().Select(names =>
                $"drop table if exists {names.Shadow}; create table {names.Shadow} (like {names.Live} including defaults including storage) with (autovacuum_enabled = false);")),
            cancellationToken);
    }

    /// <summary>
    /// Builds the indexes of the change rows and the topics' key, then gathers their statistics: these two tables are
    /// filled before the version rows are (fewer and cheaper rows), so this runs beside the version rows' last COPYs.
    /// </summary>
    public Task IndexChangesAndTopicsAsync(CancellationToken cancellationToken) => IndexAsync([Tables.Changes, Tables.Topics], cancellationToken);

    /// <summary>Builds the version rows' indexes, then gathers their statistics.</summary>
    public Task IndexVersionsAsync(CancellationToken cancellationToken) => IndexAsync([Tables.Versions], cancellationToken);

    /// <summary>
    /// Builds the indexes (and the topics' key) of <paramref name="tables"/>, the live definitions under the shadow's
    /// names, several at once, then gathers the planner's statistics (after the indexes: an expression index has its own).
    /// </summary>
    private async Task IndexAsync(IReadOnlyList<Table> tables, CancellationToken cancellationToken)
    {
        var builds = Tables.Indexes().Where(pair => tables.Contains(pair.Table)).Select(pair => pair.Index.ToDDL(pair.Table));
        var topics = Tables.Topics;
        if (tables.Contains(topics))
        {
            builds = builds.Append(
                $"alter table {topics.Identifier.QualifiedName} add constraint {topics.PrimaryKeyName} primary key ({string.Join(", ", topics.PrimaryKeyColumns)})");
        }

        await RunAtOnceAsync(builds, cancellationToken);
        await RunAtOnceAsync(tables.Select(table => $"analyze {table.Identifier.QualifiedName}"), cancellationToken);
    }

    /// <summary>
    /// In the caller's transaction: drops the live tables and renames the shadow's tables, indexes and key to theirs.
    /// Readers wait only for this transaction's commit, and then read the rebuilt tables.
    /// </summary>
    public async Task SwapAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var names = TableNames().ToList();
        var sql = new List<string> { $"drop table {string.Join(", ", names.Select(name => name.Live))}" };
        sql.AddRange(names.Select(name => $"alter table {name.Shadow} reset (autovacuum_enabled)"));
        sql.AddRange(new[] { live.Versions, live.Changes, live.Topics }.Zip(
            new[] { Tables.Versions, Tables.Changes, Tables.Topics },
            (liveTable, shadowTable) => $"alter table {shadowTable.Identifier.QualifiedName} rename to {liveTable.Identifier.Name}"));
        sql.AddRange(live.Indexes().Zip(
            Tables.Indexes(),
            (liveIndex, shadowIndex) => $"alter index {live.Schema}.{shadowIndex.Index.Name} rename to {liveIndex.Index.Name}"));
        sql.Add($"alter table {live.Topics.Identifier.QualifiedName} rename constraint {Tables.Topics.PrimaryKeyName} to {live.Topics.PrimaryKeyName}");
        await using var command = new NpgsqlCommand(string.Join("; ", sql), connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Drops the shadow tables, if any: what a failed rebuild leaves behind.</summary>
    public async Task DropAsync(CancellationToken cancellationToken) =>
        await ExecuteAsync(string.Concat(TableNames().Select(names => $"drop table if exists {names.Shadow};")), cancellationToken);

    private async Task RunAtOnceAsync(IEnumerable<string> statements, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(
            statements,
            new ParallelOptions { MaxDegreeOfParallelism = Builders, CancellationToken = cancellationToken },
            async (sql, token) => await ExecuteAsync(sql, token));

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
