using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Timeline.Api.Database.EmbeddedPostgres;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Database;

public sealed class EmbeddedPostgresHostingTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task Without_a_connection_string_the_host_gets_an_embedded_timeline_database_that_stops_with_it()
    {
        PostgresRequirement.Binaries();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration[EmbeddedPostgresHosting.DataDirectoryKey] = _directory.Combine("postgres");
        builder.Configuration[$"{EmbeddedPostgresHosting.ServerSettingsSection}:fsync"] = "off";

        builder.AddEmbeddedPostgresWhenNoConnectionString();
        var connectionString = builder.Configuration.GetConnectionString("Timeline");
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        var databaseWhileRunning = await Sql.ScalarAsync<string>(connectionString!, "SELECT current_database()");
        var fsyncWhileRunning = await Sql.ScalarAsync<string>(connectionString!, "SHOW fsync");
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(("timeline", "off"), (databaseWhileRunning, fsyncWhileRunning));
        Assert.True(File.Exists(_directory.Combine("postgres", "PG_VERSION")));
        await Assert.ThrowsAsync<NpgsqlException>(() => Sql.ScalarAsync<string>(connectionString!, "SELECT current_database()"));
    }

    [Fact]
    public void With_a_connection_string_configured_no_server_is_started()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["ConnectionStrings:Timeline"] = "Host=db.example;Database=timeline";
        builder.Configuration[EmbeddedPostgresHosting.DataDirectoryKey] = _directory.Combine("postgres");

        builder.AddEmbeddedPostgresWhenNoConnectionString();

        Assert.Equal("Host=db.example;Database=timeline", builder.Configuration.GetConnectionString("Timeline"));
        Assert.False(Directory.Exists(_directory.Combine("postgres")));
        Assert.DoesNotContain(builder.Services, service => service.ImplementationInstance is EmbeddedPostgresLifetime);
    }

    public void Dispose() => _directory.Dispose();
}
