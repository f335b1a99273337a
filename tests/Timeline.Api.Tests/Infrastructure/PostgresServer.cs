using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Testcontainers.PostgreSql;
using Timeline.Api.Database.EmbeddedPostgres;
using Timeline.Api.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(PostgresServer))]

namespace Timeline.Api.Tests.Infrastructure;

/// <summary>
/// The one PostgreSQL server of the test run, taken from the first of: the <c>TIMELINE_TEST_POSTGRES</c>
/// connection string; a Testcontainers container when a Docker engine answers; a throwaway cluster from the
/// machine's binaries. Each test class asks it for its own database, so classes can run in parallel.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string ConnectionStringVariable = "TIMELINE_TEST_POSTGRES";

    private const string Image = "postgres:15-alpine";
    private static readonly TimeSpan DockerTimeout = TimeSpan.FromSeconds(2);

    private readonly List<string> _createdDatabases = [];
    private string? _connectionString;
    private string _unavailableReason = "The PostgreSQL server has not been started.";
    private Func<ValueTask>? _shutdown;

    /// <summary>Which server the tests use, for the test log.</summary>
    public string Source { get; private set; } = "none";

    /// <summary>
    /// Whether there is a server. A class fixture checks this instead of letting <see cref="CreateDatabaseAsync"/>
    /// skip: xunit reports a skip thrown from a class fixture as a failure of every test in the class.
    /// </summary>
    [MemberNotNullWhen(true, nameof(_connectionString))]
    public bool IsAvailable => _connectionString is not null;

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        if (Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } configured)
        {
            _connectionString = configured;
            // Not our server: the databases we create there are dropped again at the end.
            _shutdown = DropCreatedDatabasesAsync;
            Source = $"{ConnectionStringVariable} ({Describe(configured)})";
        }
        else if (await DockerEngine.AnswersAsync(DockerTimeout, cancellationToken))
        {
            var container = new PostgreSqlBuilder(Image).Build();
            try
            {
                await container.StartAsync(cancellationToken);
            }
            catch
            {
                await container.DisposeAsync();
                throw;
            }

            _shutdown = container.DisposeAsync;
            _connectionString = container.GetConnectionString();
            Source = $"a Testcontainers {Image} container ({Describe(_connectionString)})";
        }
        else if (PostgresBinaries.TryFind(out var binaries))
        {
            var directory = new TemporaryDirectory();
            LocalPostgresCluster cluster;
            try
            {
                cluster = await LocalPostgresCluster.StartAsync(ThrowawayCluster(directory), NullLogger.Instance, cancellationToken);
            }
            catch
            {
                directory.Dispose();
                throw;
            }

            _shutdown = () => StopClusterAsync(cluster, directory);
            _connectionString = cluster.ConnectionString;
            Source = $"a throwaway PostgreSQL {cluster.Version} cluster from {binaries.Directory} in {directory.Path} ({Describe(_connectionString)})";
        }
        else
        {
            _unavailableReason = $"No PostgreSQL: {ConnectionStringVariable} is not set, no Docker engine answers, "
                + "and there are no PostgreSQL server binaries.";
            if (PostgresRequirement.IsCi)
            {
                throw new InvalidOperationException($"CI is set, so PostgreSQL must be available. {_unavailableReason} {PostgresRequirement.HowToRun}");
            }

            Source = $"none ({_unavailableReason})";
        }

        TestContext.Current.SendDiagnosticMessage($"PostgreSQL for the tests: {Source}");
    }

    /// <summary>
    /// Skips the calling test when there is no server (on CI the fixture has failed already). Call it from a test,
    /// or from a test class's constructor or <c>InitializeAsync</c>, not from a class fixture.
    /// </summary>
    [MemberNotNull(nameof(_connectionString))]
    public void SkipIfUnavailable()
    {
        if (!IsAvailable)
        {
            PostgresRequirement.Unavailable(_unavailableReason);
        }
    }

    /// <summary>
    /// Creates a database with a fresh name starting with <paramref name="prefix"/> and returns its connection
    /// string. Skips the calling test when there is no server, as <see cref="SkipIfUnavailable"/> does.
    /// </summary>
    /// <param name="prefix">Lower-case letters, digits and underscores, at most 50 of them.</param>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        if (prefix.Length > 50 || !PostgresDatabases.IsValidName(prefix))
        {
            throw new ArgumentException($"Prefix '{prefix}' must be 1 to 50 characters of [a-z0-9_].", nameof(prefix));
        }

        SkipIfUnavailable();

        var name = $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        lock (_createdDatabases)
        {
            _createdDatabases.Add(name);
        }

        return await PostgresDatabases.CreateIfMissingAsync(_connectionString, name, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_shutdown is not null)
        {
            await _shutdown();
        }
    }

    private static LocalPostgresOptions ThrowawayCluster(TemporaryDirectory directory) => new()
    {
        DataDirectory = directory.Combine("data"),
        // Nothing here must survive a crash, and syncing is most of the cost of a test database.
        ServerSettings = new Dictionary<string, string> { ["fsync"] = "off", ["synchronous_commit"] = "off" },
    };

    private static async ValueTask StopClusterAsync(LocalPostgresCluster cluster, TemporaryDirectory directory)
    {
        NpgsqlConnection.ClearAllPools();
        await cluster.DisposeAsync();
        directory.Dispose();
    }

    private async ValueTask DropCreatedDatabasesAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var admin = new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        foreach (var name in _createdDatabases)
        {
            // Names were checked against [a-z0-9_] when they were made.
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}";
    }
}
