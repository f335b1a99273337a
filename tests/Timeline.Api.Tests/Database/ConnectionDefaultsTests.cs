using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Timeline.Api.Database;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Database;

/// <summary>
/// The settings Timeline adds to a connection string it was given: bounded connects, and statements prepared once per
/// connection but planned for each call's values. What the operator gave wins.
/// </summary>
public sealed class ConnectionDefaultsTests
{
    [Fact]
    public void A_bare_connection_string_gets_the_timeout_prepared_statements_and_custom_plans()
    {
        var applied = new NpgsqlConnectionStringBuilder(ConnectionDefaults.Apply("Host=db;Username=timeline"));
        Assert.Equal(ConnectionDefaults.ConnectTimeoutSeconds, applied.Timeout);
        Assert.Equal(ConnectionDefaults.MaxAutoPrepare, applied.MaxAutoPrepare);
        Assert.Equal(ConnectionDefaults.CustomPlans, applied.Options);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0, null)]
    [InlineData("Host=db;MaxAutoPrepare=5", 5, null)]
    [InlineData("Host=db;Options=-c plan_cache_mode=auto", 0, "-c plan_cache_mode=auto")]
    public void Prepared_statements_and_plans_the_operator_set_are_left_as_given(string given, int maxAutoPrepare, string? options)
    {
        var applied = new NpgsqlConnectionStringBuilder(ConnectionDefaults.Apply(given));
        Assert.Equal(maxAutoPrepare, applied.MaxAutoPrepare);
        Assert.Equal(options, applied.Options);
    }

    [Fact]
    public void Other_server_options_are_kept_and_custom_plans_added()
    {
        var applied = new NpgsqlConnectionStringBuilder(ConnectionDefaults.Apply("Host=db;Options=-c statement_timeout=30s;Timeout=9"));
        Assert.Equal("-c statement_timeout=30s " + ConnectionDefaults.CustomPlans, applied.Options);
        Assert.Equal(9, applied.Timeout);
    }

}

/// <summary>The service's own connections carry the defaults to the server.</summary>
public sealed class ServiceConnectionTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task The_service_connections_plan_every_call_for_its_own_values()
    {
        var dataSource = App.Services.GetRequiredService<NpgsqlDataSource>();
        await using var command = dataSource.CreateCommand("show plan_cache_mode");
        Assert.Equal("force_custom_plan", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }
}
