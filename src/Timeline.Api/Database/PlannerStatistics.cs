using System.Data.Common;
using Npgsql;
using Timeline.Api.Audit;
using Timeline.Api.ReadModel;

namespace Timeline.Api.Database;

/// <summary>
/// Keeps the planner's statistics up with a bulk load. Autovacuum visits a database once a minute and analyses a table
/// after a tenth of it changed; a bulk import into a new store outgrows that, and a table that was never analysed has
/// no statistics at all: the list queries then read the whole version table and sort it instead of walking an index
/// (docs/performance.md, "Statistics kept up with a bulk import"). After each batch, the tables the reads plan on that
/// have grown to twice what their statistics describe are analysed, on a small sample: a few times per doubling of the
/// record, tens of milliseconds each.
/// </summary>
public sealed class PlannerStatistics
{
    /// <summary>Tables smaller than this many pages (1 MiB) are read whole in well under a millisecond: no need to analyse.</summary>
    public const int FloorPages = 128;

    /// <summary>
    /// The statistics target of these analyses: a sample of 3,000 rows instead of the default 30,000. Enough to plan by
    /// (the plan tests pass on it), at a tenth of the cost: the sample is read page by page, and at 100k events the version
    /// rows took 450 ms to analyse at the default and 46 ms at this. Autovacuum's own later analyses take the full sample.
    /// </summary>
    public const int SampleTarget = 10;

    private readonly string[] _tables;
    private readonly ILogger<PlannerStatistics> _logger;

    public PlannerStatistics(ReadModelTables readModel, AuditTables audit, ILogger<PlannerStatistics> logger)
    {
        ArgumentNullException.ThrowIfNull(readModel);
        ArgumentNullException.ThrowIfNull(audit);
        _tables =
        [
            .. readModel.SchemaObjects().Select(table => table.Identifier.QualifiedName),
            audit.ChainName,
            audit.EventsName,
            $"{audit.Schema}.mt_streams",
        ];
        _logger = logger;
    }

    // relpages is what the last ANALYZE or VACUUM saw (0 before the first); pg_relation_size is the table's file now.
    private const string OutgrownSql = """
        select c.oid::regclass::text from pg_class c
        where c.oid in (select to_regclass(name) from unnest($1::text[]) as name)
          and pg_relation_size(c.oid) >= 2 * current_setting('block_size')::bigint * greatest(c.relpages, $2)
        """;

    /// <summary>
    /// Analyses the tables that have outgrown their statistics, outside any transaction on <paramref name="connection"/>;
    /// returns their names. A table another session is vacuuming or analysing is skipped (it is being done). Never
    /// throws for the database's sake: the batch before it has committed, and this only helps later plans.
    /// </summary>
    public async Task<IReadOnlyList<string>> CatchUpAsync(NpgsqlConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            var outgrown = new List<string>();
            await using (var command = new NpgsqlCommand(OutgrownSql, connection))
            {
                command.Parameters.Add(new() { Value = _tables });
                command.Parameters.Add(new() { Value = FloorPages });
                await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    outgrown.Add(reader.GetString(0));
                }
            }

            if (outgrown.Count == 0)
            {
                return outgrown;
            }

            var sql = $"set default_statistics_target = {SampleTarget}; analyze (skip_locked) {string.Join(", ", outgrown)}; reset default_statistics_target";
            await using (var analyse = new NpgsqlCommand(sql, connection))
            {
                await analyse.ExecuteNonQueryAsync(CancellationToken.None);
            }

            _logger.LogDebug("Analysed {Tables} for the planner: each had grown to twice what its statistics described", string.Join(", ", outgrown));
            return outgrown;
        }
        catch (DbException exception)
        {
            _logger.LogWarning(exception, "Could not bring the planner's statistics up to date after a batch; autovacuum will");
            return [];
        }
    }
}
