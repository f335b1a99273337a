using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Timeline.Api.Database.EmbeddedPostgres;

namespace Timeline.Api.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster for one test alone, which it may stop and start again (an outage) on the same port, so that
/// clients keep their connection string. Never the shared <see cref="PostgresServer"/>: other classes use that one.
/// Disposing stops it and deletes its data.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly LocalPostgresOptions _options;
    private LocalPostgresCluster? _cluster;

    private PrivatePostgres() => _options = new LocalPostgresOptions
    {
        DataDirectory = _directory.Combine("data"),
        Port = FreeTcpPort.OnLoopback(),
        // Synced, unlike the shared test server: an acknowledged write must survive the server's stop.
        ServerSettings = new Dictionary<string, string> { ["max_connections"] = "200" },
    };

    /// <summary>The <c>postgres</c> database on this cluster.</summary>
    public string ConnectionString { get; private set; } = "";

    public int Port => _options.Port!.Value;

    /// <summary>Starts a fresh cluster on a free port. Skips the calling test when the machine has no PostgreSQL binaries (fails it on CI).</summary>
    public static async Task<PrivatePostgres> StartAsync()
    {
        PostgresRequirement.Binaries();
        var postgres = new PrivatePostgres();
        try
        {
            await postgres.StartAgainAsync(TestContext.Current.CancellationToken);
            return postgres;
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    public Task<string> CreateDatabaseAsync(string name) =>
        PostgresDatabases.CreateIfMissingAsync(ConnectionString, name, TestContext.Current.CancellationToken);

    /// <summary>A fast shutdown, as an operator's restart or a failover does: open sessions are ended.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _cluster, null) is { } cluster)
        {
            await cluster.StopAsync(cancellationToken);
        }
    }

    /// <summary>Starts it again with the data it had, on the same port.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        _cluster ??= await LocalPostgresCluster.StartAsync(_options, NullLogger.Instance, cancellationToken);
        ConnectionString = _cluster.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (Interlocked.Exchange(ref _cluster, null) is { } cluster)
        {
            await cluster.DisposeAsync();
        }

        _directory.Dispose();
    }
}
