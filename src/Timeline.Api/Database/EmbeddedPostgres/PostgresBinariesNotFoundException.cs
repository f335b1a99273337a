namespace Timeline.Api.Database.EmbeddedPostgres;

/// <summary>
/// No PostgreSQL server binaries on this machine. The message tells the operator the three ways to give
/// the service a database; print it as is, without a stack trace.
/// </summary>
internal sealed class PostgresBinariesNotFoundException : EmbeddedPostgresException
{
    public PostgresBinariesNotFoundException(string installRoot)
        : base(string.Join(Environment.NewLine,
            $"No PostgreSQL server binaries (initdb, pg_ctl and postgres) were found on PATH or in {installRoot}/*/bin,",
            "so the service cannot start its embedded database. Give it a database in one of these ways:",
            "  - install PostgreSQL, e.g. `apt-get install postgresql`;",
            "  - or start the one from the compose file: `docker compose up -d postgres`;",
            "  - or set ConnectionStrings__Timeline to the connection string of a PostgreSQL server."))
    {
    }
}
