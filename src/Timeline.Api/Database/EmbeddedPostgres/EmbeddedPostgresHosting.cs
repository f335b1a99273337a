using Microsoft.Extensions.Logging;

namespace Timeline.Api.Database.EmbeddedPostgres;

/// <summary>
/// Gives the service a database with no set-up: when no connection string is configured, a PostgreSQL server
/// from the machine's binaries is started in <c>.timeline/postgres</c> for the life of the host.
/// </summary>
internal static class EmbeddedPostgresHosting
{
    public const string ConnectionStringKey = "ConnectionStrings:Timeline";
    public const string DataDirectoryKey = "Timeline:EmbeddedPostgres:DataDirectory";
    public const string ServerSettingsSection = "Timeline:EmbeddedPostgres:ServerSettings";
    public const string DatabaseName = "timeline";

    /// <summary>
    /// When <c>ConnectionStrings:Timeline</c> is not configured, starts the embedded server (blocking until it
    /// accepts connections), creates the <c>timeline</c> database, puts its connection string into
    /// <c>ConnectionStrings:Timeline</c>, and stops the server when the host or the process stops.
    /// Call it before anything reads the connection string. <c>Timeline:EmbeddedPostgres:DataDirectory</c>
    /// moves the data; <c>Timeline:EmbeddedPostgres:ServerSettings:&lt;name&gt;</c> adds server settings.
    /// </summary>
    /// <exception cref="PostgresBinariesNotFoundException">
    /// No server binaries: Program.cs catches <see cref="EmbeddedPostgresException"/> (its base), prints the
    /// message, which says how to give the service a database, and exits with a non-zero code.
    /// </exception>
    /// <exception cref="EmbeddedPostgresException">A step of starting the server failed; the message says which and why.</exception>
    public static IHostApplicationBuilder AddEmbeddedPostgresWhenNoConnectionString(this IHostApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration[ConnectionStringKey]))
        {
            return builder;
        }

        var options = new LocalPostgresOptions
        {
            DataDirectory = builder.Configuration[DataDirectoryKey]
                ?? Path.Combine(Directory.GetCurrentDirectory(), ".timeline", "postgres"),
            ServerSettings = builder.Configuration.GetSection(ServerSettingsSection).GetChildren()
                .ToDictionary(setting => setting.Key, setting => setting.Value ?? ""),
        };

        // The host's logging is not built yet; this one lives as long as the server does.
        var loggerFactory = LoggerFactory.Create(logging => logging
            .AddConfiguration(builder.Configuration.GetSection("Logging"))
            .AddSimpleConsole(console => console.SingleLine = true));
        try
        {
            // The builder API is synchronous and there is no synchronisation context to deadlock on yet.
#pragma warning disable VSTHRD002
            var (cluster, connectionString) = StartAsync(options, loggerFactory.CreateLogger(typeof(EmbeddedPostgresHosting)))
                .GetAwaiter().GetResult();
#pragma warning restore VSTHRD002
            builder.Configuration[ConnectionStringKey] = connectionString;
            builder.Services.AddSingleton<IHostedService>(new EmbeddedPostgresLifetime(cluster, loggerFactory));
        }
        catch
        {
            loggerFactory.Dispose();
            throw;
        }

        return builder;
    }

    private static async Task<(LocalPostgresCluster Cluster, string ConnectionString)> StartAsync(
        LocalPostgresOptions options, ILogger logger)
    {
        var cluster = await LocalPostgresCluster.StartAsync(options, logger, CancellationToken.None);
        try
        {
            return (cluster, await cluster.CreateDatabaseAsync(DatabaseName));
        }
        catch (Exception e)
        {
            await cluster.StopAsync();
            // Wrapped so that Program.cs reports it like every other failure to provide the database.
            throw new EmbeddedPostgresException(
                $"Creating the '{DatabaseName}' database in the embedded PostgreSQL failed: {e.Message}", e);
        }
    }
}
