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

    private readonly ReadModelTables _retired = live.Retired();

    public ReadModelTables Tables { get; } = live.Shadow();

    private IEnumerable<(string Live, string Shadow, string Retired)> TableNames() =>
    [
        (live.Versions.Identifier.QualifiedName, Tables.Versions.Identifier.QualifiedName, _retired.Versions.Identifier.QualifiedName),
        (live.Changes.Identifier.QualifiedName, Tables.Changes.Identifier.QualifiedName, _retired.Changes.Identifier.QualifiedName),
        (live.Topics.Identifier.QualifiedName, Tables.Topics.Identifier.QualifiedName, _retired.Topics.Identifier.QualifiedName),
    ];

    /// <summary>
    /// Creates the shadow tables empty, with the live tables' columns and no index (and drops what a rebuild that
    /// died left of them, and of the tables it replaced). Committed at once: the connections that fill them must see them. Autovacuum leaves them
    /// alone until the swap: it vacuumed and analysed a table being filled again each time it grew by a fifth, a
    /// rebuild's own work done over on its two cores, and the rebuild analyses each table once it is indexed.
    /// </summary>
    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            string.Concat(TableNames().Select(names =>
                $"drop table if exists {names.Retired}; drop table if exists {names.Shadow}; create table {names.Shadow} (like {names.Live} including defaults including storage) with (autovacuum_enabled = false);")),
            cancellationToken);
    }

    /// <summary>
    /// Empties <paramref name="tables"/> (shadow tables, empty already) in <paramref name="transaction"/>, so that the
    /// COPYs that fill them in that same transaction may write their rows frozen: a table truncated in the current
    /// transaction is the one case where PostgreSQL allows <c>COPY ... FREEZE</c>, since nobody else can see it until
    /// the commit. Frozen rows carry their commit status and their pages are marked all-visible as they are written;
    /// otherwise the first scan after the commit (the index builds) would set that on every row, dirtying every page
    /// to be written out a second time, and autovacuum would visit every page again after the swap.
    /// </summary>
    public static async Task EmptyForFrozenCopyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<Table> tables, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"truncate {string.Join(", ", tables.Select(table => table.Identifier.QualifiedName))}", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
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
    /// In the caller's transaction, before it takes the append lock: holds the live tables against maintenance (a
    /// share update exclusive lock, which readers and writers do not conflict with), so that the swap's drop finds no
    /// autovacuum on them. Autovacuum vacuums the tables a rebuild swapped in, and those a bulk import grew; the drop
    /// waited for it to be cancelled (one <c>deadlock_timeout</c>, a second) under the append lock, and every read
    /// queued behind the drop's request meanwhile. Here that wait blocks nobody, and autovacuum cannot start on them again.
    /// </summary>
    public async Task HoldLiveTablesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"lock table {string.Join(", ", TableNames().Select(names => names.Live))} in share update exclusive mode", connection, transaction)
        { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// In the caller's transaction: renames the live tables, indexes and key aside (<see cref="ReadModelTables.Retired"/>)
    /// and the shadow's to theirs. Readers wait only for this transaction's commit, and then read the rebuilt tables.
    /// Only names change, so the commit is quick: dropping the old tables here made the commit unlink their files and
    /// sweep the shared buffers for their pages, over a second at a million events, while writers waited for the append
    /// lock; <see cref="DropRetiredAsync"/> does that after the commit.
    /// </summary>
    public async Task SwapAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var sql = new List<string>();
        sql.AddRange(Rename(live, _retired));
        sql.AddRange(TableNames().Select(name => $"alter table {name.Shadow} reset (autovacuum_enabled)"));
        sql.AddRange(Rename(Tables, live));
        await using var command = new NpgsqlCommand(string.Join("; ", sql), connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Drops the tables the swap replaced; readers that began before the swap finish first.</summary>
    public async Task DropRetiredAsync(CancellationToken cancellationToken) =>
        await ExecuteAsync(string.Concat(TableNames().Select(names => $"drop table if exists {names.Retired};")), cancellationToken);

    /// <summary>Drops the shadow tables, if any: what a failed rebuild leaves behind.</summary>
    public async Task DropAsync(CancellationToken cancellationToken) =>
        await ExecuteAsync(string.Concat(TableNames().Select(names => $"drop table if exists {names.Shadow};")), cancellationToken);

    /// <summary>Statements that give the tables, indexes and key of <paramref name="from"/> the names of <paramref name="to"/>'s.</summary>
    private static IEnumerable<string> Rename(ReadModelTables from, ReadModelTables to) =>
        new[] { from.Versions, from.Changes, from.Topics }.Zip(
            new[] { to.Versions, to.Changes, to.Topics },
            (fromTable, toTable) => $"alter table {fromTable.Identifier.QualifiedName} rename to {toTable.Identifier.Name}")
        .Concat(from.Indexes().Zip(to.Indexes(), (fromIndex, toIndex) => $"alter index {from.Schema}.{fromIndex.Index.Name} rename to {toIndex.Index.Name}"))
        .Append($"alter table {to.Topics.Identifier.QualifiedName} rename constraint {from.Topics.PrimaryKeyName} to {to.Topics.PrimaryKeyName}");

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
