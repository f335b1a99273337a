using Npgsql;

namespace Timeline.Api.Database.EmbeddedPostgres;

internal static class PostgresDatabases
{
    /// <summary>
    /// Creates the database unless it exists, and returns the server's connection string pointed at it.
    /// </summary>
    /// <param name="serverConnectionString">Any database on the server, as a user allowed to create databases.</param>
    /// <param name="name">Lower-case letters, digits and underscores only, as it is spliced into SQL.</param>
    /// <param name="cancellationToken">Cancels the connection and the commands.</param>
    public static async Task<string> CreateIfMissingAsync(
        string serverConnectionString, string name, CancellationToken cancellationToken = default)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"Database name '{name}' must be 1 to 63 characters of [a-z0-9_].", nameof(name));
        }

        // No pooling: this connection is used once, and an idle pooled one would outlive a stopped server.
        var admin = new NpgsqlConnectionStringBuilder(serverConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(cancellationToken);

        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = name });
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            // Byte-order collation: instrument ids and keys are compared with memcmp instead of the C library's strcoll,
            // which made the read model's index builds and inserts half again as slow (docs/performance.md). UTF-8
            // sorts by code point in bytes, the order C.UTF-8 gives too, so no list comes out in another order.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C'", connection);
            try
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Someone else created it between our check and our CREATE: that is what we wanted.
            }
        }

        return new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 63 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');
}
