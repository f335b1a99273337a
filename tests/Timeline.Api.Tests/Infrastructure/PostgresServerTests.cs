using Npgsql;

namespace Timeline.Api.Tests.Infrastructure;

public sealed class PostgresServerTests(PostgresServer server)
{
    [Fact]
    public async Task Each_created_database_is_fresh_and_separate_from_the_others()
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"PostgreSQL for the tests: {server.Source}");
        var first = await server.CreateDatabaseAsync("postgres_server_tests");
        var second = await server.CreateDatabaseAsync("postgres_server_tests");

        await Sql.ExecuteAsync(first, "CREATE TABLE notes (text text); INSERT INTO notes VALUES ('only in the first')");

        Assert.NotEqual(new NpgsqlConnectionStringBuilder(first).Database, new NpgsqlConnectionStringBuilder(second).Database);
        Assert.Equal("only in the first", await Sql.ScalarAsync<string>(first, "SELECT text FROM notes"));
        var missing = await Assert.ThrowsAsync<PostgresException>(() => Sql.ScalarAsync<string>(second, "SELECT text FROM notes"));
        Assert.Equal(PostgresErrorCodes.UndefinedTable, missing.SqlState);
    }

    [Fact]
    public async Task A_database_prefix_outside_a_z_0_9_underscore_is_refused() =>
        await Assert.ThrowsAsync<ArgumentException>(() => server.CreateDatabaseAsync("Robert'); DROP TABLE students;--"));
}
