using System.Data.Common;
using Npgsql;

namespace Timeline.Api.Database;

/// <summary>
/// Npgsql settings Timeline needs, applied when the connection string leaves them out.
/// <list type="bullet">
/// <item><c>Timeout</c>: Npgsql's own 15 s connect timeout also bounds the cancellation of a statement (it opens a
/// connection to send the cancel), so behind a silent partition a request would wait on it well past its own timeout.</item>
/// <item><c>Max Auto Prepare</c> with <c>plan_cache_mode=force_custom_plan</c>: the statements a service runs again and
/// again are parsed once per connection, and still planned for each call's values. Under load the database spent most
/// of a point-in-time read parsing and planning (docs/performance.md); preparing alone is not enough, because after five
/// calls PostgreSQL switches to a generic plan, which cannot use the range predicates' values (ten times slower).</item>
/// </list>
/// </summary>
internal static class ConnectionDefaults
{
    /// <summary>Seconds to open a connection (the <c>Timeout</c> keyword).</summary>
    public const int ConnectTimeoutSeconds = 5;

    /// <summary>Statements each connection keeps prepared (the <c>Max Auto Prepare</c> keyword).</summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>The server option that keeps every prepared statement on plans for its own values.</summary>
    public const string CustomPlans = "-c plan_cache_mode=force_custom_plan";

    public static string Apply(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Gives(params string[] keywords) => given.Keys.Cast<string>().Any(key => keywords.Contains(key.Trim(), StringComparer.OrdinalIgnoreCase));
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Gives("Timeout"))
        {
            builder.Timeout = ConnectTimeoutSeconds;
        }

        // Prepared statements only with custom plans: an operator who sets either decides both.
        if (!Gives("Max Auto Prepare", "MaxAutoPrepare") && builder.Options?.Contains("plan_cache_mode", StringComparison.Ordinal) != true)
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
            builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? CustomPlans : $"{builder.Options} {CustomPlans}";
        }

        return builder.ConnectionString;
    }
}
