using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Timeline.Api.Database;
using Timeline.Api.Http;
using Timeline.Api.Tests.Infrastructure;

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

        // Not for the rest: custom plans would reach the plans PL/pgSQL caches in Marten's append function.
        var others = new NpgsqlConnectionStringBuilder(ConnectionDefaults.Apply("Host=db;Username=timeline"));
        Assert.Equal(ConnectionDefaults.ConnectTimeoutSeconds, others.Timeout);
        Assert.Equal(0, others.MaxAutoPrepare);
        Assert.Null(others.Options);
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
    [InlineData("Host=db", 50, 50)]
    [InlineData("Host=db;Maximum Pool Size=30", 15, 15)]
    [InlineData("Host=db;Maximum Pool Size=7;Minimum Pool Size=5", 4, 3)]
    [InlineData("Host=db;MaxPoolSize=1", 1, 1)]
    public void The_read_pool_and_the_rest_share_the_connection_budget(string given, int rest, int reads)
    {
        var others = new NpgsqlConnectionStringBuilder(ConnectionDefaults.Apply(given));
        var readPool = new NpgsqlConnectionStringBuilder(ConnectionDefaults.ForReads(given));
        Assert.Equal(rest, others.MaxPoolSize);
        Assert.Equal(reads, readPool.MaxPoolSize);
        Assert.True(readPool.MinPoolSize <= readPool.MaxPoolSize && others.MinPoolSize <= others.MaxPoolSize);
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

        await using var other = App.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("show plan_cache_mode");
        Assert.Equal("auto", await other.ExecuteScalarAsync(cancellationToken));
    }
}
