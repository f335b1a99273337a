using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Timeline.Api.Database;
using Timeline.Api.Http;
using Timeline.Api.Tests.Infrastructure;
using Timeline.Api.Writing;

namespace Timeline.Api.Tests.Database;

/// <summary>
/// The settings Timeline adds to a connection string it was given: bounded connects; for reads, statements prepared once
/// per connection but planned for each call's values, and no reset on return. What the operator gave wins.
/// </summary>
public sealed class ConnectionDefaultsTests
{
    [Fact]
    public void A_bare_connection_string_gets_the_timeout_and_for_reads_prepared_statements_with_custom_plans()
    {
        var reads = new NpgsqlConnectionStringBuilder(ConnectionDefaults.ForReads("Host=db;Username=timeline"));
        Assert.Equal(ConnectionDefaults.ConnectTimeoutSeconds, reads.Timeout);
        Assert.Equal(ConnectionDefaults.MaxAutoPrepare, reads.MaxAutoPrepare);
        Assert.Equal(ConnectionDefaults.CustomPlans, reads.Options);

        // Writes are prepared with the server's own plan choice: custom plans would reach the plans PL/pgSQL caches in
        // Marten's append function.
        var writes = new NpgsqlConnectionStringBuilder(ConnectionDefaults.ForWrites("Host=db;Username=timeline"));
        Assert.Equal(ConnectionDefaults.ConnectTimeoutSeconds, writes.Timeout);
        Assert.Equal(ConnectionDefaults.MaxAutoPrepare, writes.MaxAutoPrepare);
        Assert.Null(writes.Options);

        var others = new NpgsqlConnectionStringBuilder(ConnectionDefaults.Apply("Host=db;Username=timeline"));
        Assert.Equal(ConnectionDefaults.ConnectTimeoutSeconds, others.Timeout);
        Assert.Equal(0, others.MaxAutoPrepare);
        Assert.Null(others.Options);
    }

    [Fact]
    public void Writes_keep_the_preparation_the_operator_set()
    {
        Assert.Equal(0, new NpgsqlConnectionStringBuilder(ConnectionDefaults.ForWrites("Host=db;Max Auto Prepare=0")).MaxAutoPrepare);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0, null)]
    [InlineData("Host=db;MaxAutoPrepare=5", 5, null)]
    [InlineData("Host=db;Options=-c plan_cache_mode=auto", 0, "-c plan_cache_mode=auto")]
    public void Prepared_statements_and_plans_the_operator_set_are_left_as_given(string given, int maxAutoPrepare, string? options)
    {
        var applied = new NpgsqlConnectionStringBuilder(ConnectionDefaults.ForReads(given));
        Assert.Equal(maxAutoPrepare, applied.MaxAutoPrepare);
        Assert.Equal(options, applied.Options);
    }

    [Theory]
    [InlineData("Host=db", 25, 25, 50)]
    [InlineData("Host=db;Maximum Pool Size=30", 8, 7, 15)]
    [InlineData("Host=db;Maximum Pool Size=7;Minimum Pool Size=5", 2, 2, 3)]
    [InlineData("Host=db;MaxPoolSize=1", 1, 1, 1)]
    public void The_read_pool_the_write_pool_and_the_rest_share_the_connection_budget(string given, int rest, int writes, int reads)
    {
        var pools = new[] { ConnectionDefaults.Apply(given), ConnectionDefaults.ForWrites(given), ConnectionDefaults.ForReads(given) }
            .Select(connectionString => new NpgsqlConnectionStringBuilder(connectionString)).ToArray();
        Assert.Equal([rest, writes, reads], pools.Select(pool => pool.MaxPoolSize));
        Assert.All(pools, pool => Assert.True(pool.MinPoolSize <= pool.MaxPoolSize));
    }

    [Theory]
    [InlineData("Host=db", false, true)]
    [InlineData("Host=db;No Reset On Close=false", false, false)]
    public void Only_read_connections_skip_the_reset_unless_the_operator_says_otherwise(string given, bool others, bool reads)
    {
        Assert.Equal(others, new NpgsqlConnectionStringBuilder(ConnectionDefaults.Apply(given)).NoResetOnClose);
        Assert.Equal(reads, new NpgsqlConnectionStringBuilder(ConnectionDefaults.ForReads(given)).NoResetOnClose);
    }

    [Fact]
    public void Other_server_options_are_kept_and_custom_plans_added()
    {
        var applied = new NpgsqlConnectionStringBuilder(ConnectionDefaults.ForReads("Host=db;Options=-c statement_timeout=30s;Timeout=9"));
        Assert.Equal("-c statement_timeout=30s " + ConnectionDefaults.CustomPlans, applied.Options);
        Assert.Equal(9, applied.Timeout);
    }

}

/// <summary>The service's own connections carry the defaults to the server.</summary>
public sealed class ServiceConnectionTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task Read_connections_plan_every_call_for_its_values_and_the_others_keep_the_server_default()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using (var read = await App.Services.GetRequiredService<ReadConnections>().OpenAsync(cancellationToken))
        {
            await using var command = new NpgsqlCommand("show plan_cache_mode", read);
            Assert.Equal("force_custom_plan", await command.ExecuteScalarAsync(cancellationToken));
        }

        await using (var write = await App.Services.GetRequiredService<WriteConnections>().OpenAsync(cancellationToken))
        {
            await using var command = new NpgsqlCommand("show plan_cache_mode", write);
            Assert.Equal("auto", await command.ExecuteScalarAsync(cancellationToken));
            Assert.Equal(ConnectionDefaults.MaxAutoPrepare, new NpgsqlConnectionStringBuilder(write.ConnectionString).MaxAutoPrepare);
        }

        await using var other = App.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("show plan_cache_mode");
        Assert.Equal("auto", await other.ExecuteScalarAsync(cancellationToken));
    }
}
