using System.Data.Common;
using Npgsql;

namespace Timeline.Api.Database;

/// <summary>
/// Npgsql settings Timeline needs, applied when the connection string leaves them out.
/// <list type="bullet">
/// <item><c>Timeout</c>: Npgsql's own 15 s connect timeout also bounds the cancellation of a statement (it opens a
/// connection to send the cancel), so behind a silent partition a request would wait on it well past its own timeout.</item>
/// <item>Reads have a pool of their own (<see cref="ForReads"/>), prepared and not reset:
/// <list type="bullet">
/// <item><c>Max Auto Prepare</c> with <c>plan_cache_mode=force_custom_plan</c>: the statements reads run again and again
/// are parsed once per connection, and still planned for each call's values. Under load the database spent most of a
/// point-in-time read parsing and planning (docs/performance.md); preparing alone is not enough, because after five
/// calls PostgreSQL switches to a generic plan, which cannot use the range predicates' values (ten times slower).</item>
/// <item><c>No Reset On Close</c>: reads leave no session state behind, and the reset (seven statements once statements
/// are prepared) was a fifth of the database's CPU for a single state.</item>
/// </list></item>
/// <item>The write path has a pool of its own (<see cref="ForWrites"/>), prepared with the server's own plan choice: a
/// bulk import runs the same dozen statements thousands of times (Marten's append function once per stream), and parsing
/// them each time was a sixth of an import's time. None of them depends on its values for its plan, as the reads' range
/// predicates do; <c>force_custom_plan</c> would also reach the plans PL/pgSQL caches inside Marten's append function,
/// which then took twice as long.</item>
/// <item>The three pools share the connection budget: <c>Maximum Pool Size</c> (Npgsql's default 100 when not given)
/// goes half to reads, a quarter to writes (they queue for the append lock anyway) and a quarter to everything else,
/// so the server sees no more connections than before.</item>
/// </list>
/// </summary>
internal static class ConnectionDefaults
{
    /// <summary>Seconds to open a connection (the <c>Timeout</c> keyword).</summary>
    public const int ConnectTimeoutSeconds = 5;

    /// <summary>Statements each read or write connection keeps prepared (the <c>Max Auto Prepare</c> keyword).</summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>The server option that keeps every prepared statement on plans for its own values.</summary>
    public const string CustomPlans = "-c plan_cache_mode=force_custom_plan";

    /// <summary>
    /// Plans the statements after it, in its transaction, once for any values (a generic plan), overriding
    /// <see cref="CustomPlans"/> where the plan cannot depend on the values and planning costs more than running.
    /// </summary>
    public const string GenericPlansInTransaction = "select set_config('plan_cache_mode', 'force_generic_plan', true)";

    /// <summary>The connection string for everything but reads and the write path: the event store, the daemon, notifications, the audit.</summary>
    public static string Apply(string connectionString) => Build(connectionString, Pool.Others);

    /// <summary>The connection string of the read pool (<see cref="Http.ReadConnections"/>).</summary>
    public static string ForReads(string connectionString) => Build(connectionString, Pool.Reads);

    /// <summary>The connection string of the write path's pool (<see cref="Writing.WriteConnections"/>).</summary>
    public static string ForWrites(string connectionString) => Build(connectionString, Pool.Writes);

    private enum Pool
    {
        Reads,
        Writes,
        Others,
    }

    private static string Build(string connectionString, Pool pool)
    {
        var reads = pool == Pool.Reads;
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", string.Empty, StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        bool Gives(string keyword) => given.Contains(keyword.Replace(" ", string.Empty, StringComparison.Ordinal));
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Gives("Timeout"))
        {
            builder.Timeout = ConnectTimeoutSeconds;
        }

        // Prepared statements only with custom plans: an operator who sets either decides both.
        if (reads && !Gives("Max Auto Prepare") && builder.Options?.Contains("plan_cache_mode", StringComparison.Ordinal) != true)
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
            builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? CustomPlans : $"{builder.Options} {CustomPlans}";
        }

        if (pool == Pool.Writes && !Gives("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }

        var budget = builder.MaxPoolSize;
        var notReads = budget - (budget / 2);
        builder.MaxPoolSize = Math.Max(1, pool switch
        {
            Pool.Reads => budget / 2,
            Pool.Writes => notReads / 2,
            _ => notReads - (notReads / 2),
        });
        builder.MinPoolSize = Math.Min(builder.MinPoolSize, builder.MaxPoolSize);
        if (reads && !Gives("No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
