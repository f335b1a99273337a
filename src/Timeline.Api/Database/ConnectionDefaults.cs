using System.Data.Common;
using Npgsql;

namespace Timeline.Api.Database;

/// <summary>
/// Npgsql settings Timeline needs for bounded failures, applied when the connection string leaves them out. Npgsql's
/// own 15 s connect timeout also bounds the cancellation of a statement (it opens a connection to send the cancel), so
/// behind a silent partition a request would wait on it well past its own timeout.
/// </summary>
internal static class ConnectionDefaults
{
    /// <summary>Seconds to open a connection (the <c>Timeout</c> keyword).</summary>
    public const int ConnectTimeoutSeconds = 5;

    public static string Apply(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Keys.Cast<string>().Any(key => key.Equals("Timeout", StringComparison.OrdinalIgnoreCase)))
        {
            builder.Timeout = ConnectTimeoutSeconds;
        }

        return builder.ConnectionString;
    }
}
