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
/// calls PostgreSQL switches to a generic plan, which cannot use the range predicates' values (ten times slower). Not for
/// the other pool: the setting also reaches the plans PL/pgSQL caches inside functions, and Marten's append function
/// then took twice as long (0.31 ms a call instead of 0.15 in a bulk import).</item>
/// <item><c>No Reset On Close</c>: reads leave no session state behind, and the reset (seven statements once statements
/// are prepared) was a fifth of the database's CPU for a single state.</item>
/// </list>
/// The two pools share the connection budget: <c>Maximum Pool Size</c> (Npgsql's default 100 when not given) is split
/// between them, so the server sees no more connections than before.</item>
/// </list>
/// </summary>
internal static class ConnectionDefaults
{
    /// <summary>Seconds to open a connection (the <c>Timeout</c> keyword).</summary>
    public const int ConnectTimeoutSeconds = 5;

    /// <summary>Statements each read connection keeps prepared (the <c>Max Auto Prepare</c> keyword).</summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>The server option that keeps every prepared statement on plans for its own values.</summary>
    public const string CustomPlans = "-c plan_cache_mode=force_custom_plan";

    /// <summary>
    /// Plans the statements after it, in its transaction, once for any values (a generic plan), overriding
    /// <see cref="CustomPlans"/> where the plan cannot depend on the values and planning costs more than running.
    /// </summary>
    public const string GenericPlansInTransaction = "select set_config('plan_cache_mode', 'force_generic_plan', true)";

    /// <summary>The connection string for everything but reads: writes, the event store, the daemon, notifications.</summary>
    public static string Apply(string connectionString) => Build(connectionString, reads: false);

    /// <summary>The connection string of the read pool (<see cref="Http.ReadConnections"/>).</summary>
    public static string ForReads(string connectionString) => Build(connectionString, reads: true);

    private static string Build(string connectionString, bool reads)
    {
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

        var budget = builder.MaxPoolSize;
        builder.MaxPoolSize = Math.Max(1, reads ? budget / 2 : budget - (budget / 2));
        builder.MinPoolSize = Math.Min(builder.MinPoolSize, builder.MaxPoolSize);
        if (reads && !Gives("No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
