using Npgsql;

namespace Timeline.Api.ReadModel;

/// <summary>
/// Writes rows into a read model's tables with binary COPY, for a rebuild (into its shadow tables, which have no
/// indexes yet: building them once at the end is far cheaper than keeping them row by row). The rows come encoded
/// (<see cref="CopyRows"/>); each call is one COPY on the caller's connection; the counts add up over calls from any
/// thread. A rebuild's bulk copies write their rows frozen (<see cref="ReadModelShadow.EmptyForFrozenCopyAsync"/>).
/// </summary>
internal sealed class ReadModelCopy(ReadModelTables tables)
{
    // Every column, in the tables' own order (ReadModelTables), which is the order CopyRows writes a row's fields in.
    private readonly (string Plain, string Frozen) _copyVersions = Commands(tables.Versions);
    private readonly (string Plain, string Frozen) _copyChanges = Commands(tables.Changes);
    private readonly (string Plain, string Frozen) _copyTopics = Commands(tables.Topics);

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

    /// <summary>
    /// Copies version rows; <paramref name="frozen"/> only in the transaction that emptied the table
    /// (<see cref="ReadModelShadow.EmptyForFrozenCopyAsync"/>), where PostgreSQL accepts <c>COPY ... FREEZE</c>.
    /// </summary>
    public async Task WriteVersionsAsync(NpgsqlConnection connection, CopyRows rows, bool frozen, CancellationToken cancellationToken) =>
        Interlocked.Add(ref _versionRows, await CopyAsync(connection, Pick(_copyVersions, frozen), rows, cancellationToken));

    /// <summary>Copies change rows, as <see cref="WriteVersionsAsync"/> copies version rows.</summary>
    public async Task WriteChangesAsync(NpgsqlConnection connection, CopyRows rows, bool frozen, CancellationToken cancellationToken) =>
        Interlocked.Add(ref _changeRows, await CopyAsync(connection, Pick(_copyChanges, frozen), rows, cancellationToken));

    /// <summary>Copies (topic, instrument) pairs, distinct already: each stream is folded once, and its pairs name only it.</summary>
    public Task WriteTopicsAsync(NpgsqlConnection connection, CopyRows rows, bool frozen, CancellationToken cancellationToken) =>
        CopyAsync(connection, Pick(_copyTopics, frozen), rows, cancellationToken);

    /// <summary>Every row of <paramref name="rows"/>, copied into the three tables on <paramref name="connection"/> (a rebuild's catch-up).</summary>
    public async Task WriteAsync(NpgsqlConnection connection, RowChanges rows, CancellationToken cancellationToken)
    {
        using var chunk = CopyChunk.Of(rows);
        await WriteVersionsAsync(connection, chunk.Versions, frozen: false, cancellationToken);
        await WriteChangesAsync(connection, chunk.Changes, frozen: false, cancellationToken);
        await WriteTopicsAsync(connection, chunk.Topics, frozen: false, cancellationToken);
    }

    private static (string Plain, string Frozen) Commands(Weasel.Postgresql.Tables.Table table)
    {
        var copy = $"copy {table.Identifier.QualifiedName} ({string.Join(", ", table.Columns.Select(column => column.Name))}) from stdin (format binary";
        return (copy + ")", copy + ", freeze)");
    }

    private static string Pick((string Plain, string Frozen) commands, bool frozen) => frozen ? commands.Frozen : commands.Plain;

    /// <summary>One COPY of <paramref name="rows"/>, sent as encoded; nothing when there are none. Returns how many rows.</summary>
    private static async Task<long> CopyAsync(NpgsqlConnection connection, string copyCommand, CopyRows rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return 0;
        }

        // A raw COPY ends when its stream is disposed; one that failed part-way must be cancelled instead, or the rows
        // written so far would be committed as if they were all.
        var copy = await connection.BeginRawBinaryCopyAsync(copyCommand, cancellationToken);
        try
        {
            await copy.WriteAsync(CopyRows.Header, cancellationToken);
            await copy.WriteAsync(rows.Written, cancellationToken);
            await copy.WriteAsync(CopyRows.Trailer, cancellationToken);
        }
        catch
        {
            await copy.CancelAsync();
            await copy.DisposeAsync();
            throw;
        }

        await copy.DisposeAsync();
        return rows.Count;
    }
}
