using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Timeline.Api.Database.EmbeddedPostgres;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Database;

public sealed class LocalPostgresClusterTests(LocalPostgresClusterTests.SharedCluster shared)
    : IClassFixture<LocalPostgresClusterTests.SharedCluster>, IDisposable
{
    private static readonly Dictionary<string, string> FastSettings = new() { ["fsync"] = "off", ["synchronous_commit"] = "off" };

    private readonly TemporaryDirectory _directory = new();
    private readonly TestOutputLogger _logger = new();

    [Fact]
    public async Task A_second_start_in_the_same_directory_keeps_the_data_of_the_first()
    {
        PostgresRequirement.Binaries();
        int firstPort;
        await using (var first = await StartAsync())
        {
            firstPort = first.Port;
            await Sql.ExecuteAsync(first.ConnectionString, "CREATE TABLE kept (text text); INSERT INTO kept VALUES ('from the first run')");
            await first.StopAsync(TestContext.Current.CancellationToken);
            await Assert.ThrowsAsync<SocketException>(() => ConnectAsync(firstPort));
        }

        await using var second = await StartAsync();

        Assert.Equal("from the first run", await Sql.ScalarAsync<string>(second.ConnectionString, "SELECT text FROM kept"));
    }

    [Fact]
    public async Task The_server_listens_on_a_loopback_port_only_and_accepts_connections_there()
    {
        var cluster = shared.Cluster;

        var connectionString = new NpgsqlConnectionStringBuilder(cluster.ConnectionString);
        Assert.Equal(("127.0.0.1", cluster.Port, "postgres", "postgres"),
            (connectionString.Host, connectionString.Port, connectionString.Username, connectionString.Database));
        using var client = await ConnectAsync(cluster.Port);
        Assert.True(client.Connected);
        Assert.Equal("127.0.0.1", await Sql.ScalarAsync<string>(cluster.ConnectionString, "SHOW listen_addresses"));
        Assert.Equal("", await Sql.ScalarAsync<string>(cluster.ConnectionString, "SHOW unix_socket_directories"));
    }

    [Fact]
    public async Task The_server_gets_buffers_checkpoints_a_wal_writer_and_a_wal_level_for_bulk_writes_unless_the_options_set_them()
    {
        var cluster = shared.Cluster;
        var sized = MachineSizedSettings.For(MachineSizedSettings.AvailableMemory());

        // pg_settings counts shared buffers in pages of 8 kB and the WAL size in MB.
        Assert.Equal(sized["shared_buffers"], await Sql.ScalarAsync<string>(
            cluster.ConnectionString, "select (setting::bigint * 8 / 1024)::text || 'MB' from pg_settings where name = 'shared_buffers'"));
        Assert.Equal("4096", await Sql.ScalarAsync<string>(cluster.ConnectionString, "select setting from pg_settings where name = 'max_wal_size'"));
        Assert.Equal("20min", await Sql.ScalarAsync<string>(cluster.ConnectionString, "SHOW checkpoint_timeout"));
        Assert.Equal("10ms", await Sql.ScalarAsync<string>(cluster.ConnectionString, "SHOW wal_writer_delay"));
        Assert.Equal("minimal", await Sql.ScalarAsync<string>(cluster.ConnectionString, "SHOW wal_level"));
        Assert.Equal("0", await Sql.ScalarAsync<string>(cluster.ConnectionString, "SHOW max_wal_senders"));
    }

    [Theory]
    [InlineData("archive_mode", "on")]
    [InlineData("wal_level", "replica")]
    [InlineData("max_wal_senders", "4")]
    public void An_operator_who_names_a_wal_shipping_setting_gets_no_other_from_the_machine_sized_ones(string name, string value)
    {
        var settings = MachineSizedSettings.With(new Dictionary<string, string> { [name] = value }, 1L << 30);

        Assert.Equal(value, settings[name]);
        Assert.Equal([name], settings.Keys.Where(key => key is "wal_level" or "max_wal_senders" or "archive_mode"));
        Assert.Equal("10ms", settings["wal_writer_delay"]);
    }

    [Fact]
    public async Task A_server_set_to_archive_its_wal_starts_and_keeps_wal_for_replicas()
    {
        PostgresRequirement.Binaries();
        // PostgreSQL refuses to start with archiving on and wal_level = minimal: the machine-sized level must stand aside.
        await using var cluster = await StartAsync(new Dictionary<string, string>(FastSettings) { ["archive_mode"] = "on", ["archive_command"] = "/bin/true" });

        Assert.Equal("replica", await Sql.ScalarAsync<string>(cluster.ConnectionString, "SHOW wal_level"));
        Assert.Equal("on", await Sql.ScalarAsync<string>(cluster.ConnectionString, "SHOW archive_mode"));
    }

    [Theory]
    [InlineData(24L << 30, "4096MB")]
    [InlineData(6L << 30, "1024MB")]
    [InlineData(512L << 20, "128MB")]
    public void Shared_buffers_are_a_sixth_of_the_memory_between_128_MB_and_4_GB(long memory, string expected) =>
        Assert.Equal(expected, MachineSizedSettings.For(memory)["shared_buffers"]);

    [Fact]
    public async Task Server_settings_from_the_options_reach_the_server()
    {
        var cluster = shared.Cluster;

        Assert.Equal("off", await Sql.ScalarAsync<string>(cluster.ConnectionString, "SHOW fsync"));
        Assert.Equal(SharedCluster.ApplicationName, await Sql.ScalarAsync<string>(cluster.ConnectionString, "SHOW application_name"));
    }

    [Fact]
    public async Task The_server_process_does_not_run_as_root()
    {
        var cluster = shared.Cluster;

        var status = await File.ReadAllLinesAsync($"/proc/{await PostmasterPidAsync(cluster)}/status", TestContext.Current.CancellationToken);
        var uids = status.Single(line => line.StartsWith("Uid:", StringComparison.Ordinal));

        Assert.DoesNotContain("0", uids.Split('\t', StringSplitOptions.RemoveEmptyEntries).Skip(1));
    }

    [Fact]
    public async Task A_server_left_running_by_a_previous_run_is_stopped_and_started_again()
    {
        PostgresRequirement.Binaries();
        // Not stopped before the second start, which must find and stop it, as after a crash of the service.
        // (Disposed last, it only cleans up should the second start fail.)
        await using var abandoned = await StartAsync();
        await Sql.ExecuteAsync(abandoned.ConnectionString, "CREATE TABLE kept (text text); INSERT INTO kept VALUES ('before the crash')");
        var abandonedPid = await PostmasterPidAsync(abandoned);

        await using var restarted = await StartAsync();

        Assert.NotEqual(abandonedPid, await PostmasterPidAsync(restarted));
        Assert.Equal("before the crash", await Sql.ScalarAsync<string>(restarted.ConnectionString, "SELECT text FROM kept"));
    }

    [Fact]
    public async Task A_stale_pid_file_with_no_server_behind_it_does_not_prevent_a_start()
    {
        PostgresRequirement.Binaries();
        var pidFile = Path.Combine(_directory.Path, "data", "postmaster.pid");
        string[] pidFileOfTheCrashedServer;
        await using (var crashed = await StartAsync())
        {
            pidFileOfTheCrashedServer = await File.ReadAllLinesAsync(pidFile, TestContext.Current.CancellationToken);
        }

        // What a killed server leaves behind: its pid file, naming a process that no longer exists. The pid is
        // that of a process we started and reaped ourselves, so it is surely gone (a server that has just
        // stopped can linger for a moment as a zombie and still count as running).
        pidFileOfTheCrashedServer[0] = (await ExitedProcessIdAsync()).ToString(CultureInfo.InvariantCulture);
        await File.WriteAllLinesAsync(pidFile, pidFileOfTheCrashedServer, TestContext.Current.CancellationToken);
        await using var cluster = await StartAsync();

        Assert.Equal(1, await Sql.ScalarAsync<int>(cluster.ConnectionString, "SELECT 1"));
    }

    [Fact]
    public async Task CreateDatabaseAsync_creates_the_database_once_and_returns_its_connection_string_every_time()
    {
        var cluster = shared.Cluster;

        var created = await cluster.CreateDatabaseAsync("created_once", TestContext.Current.CancellationToken);
        await Sql.ExecuteAsync(created, "CREATE TABLE marker (id int)");
        var again = await cluster.CreateDatabaseAsync("created_once", TestContext.Current.CancellationToken);

        Assert.Equal(created, again);
        Assert.Equal("created_once", new NpgsqlConnectionStringBuilder(again).Database);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(again, "SELECT count(*) FROM marker"));
    }

    [Fact]
    public async Task A_created_database_compares_text_by_its_bytes_and_keeps_the_servers_character_classes()
    {
        var created = await shared.Cluster.CreateDatabaseAsync("byte_ordered", TestContext.Current.CancellationToken);

        Assert.Equal("C", await Sql.ScalarAsync<string>(created, "SELECT datcollate FROM pg_database WHERE datname = current_database()"));
        // Byte order is code-point order in UTF-8: ids with capitals, digits, accents and CJK sort as C.UTF-8 sorts them.
        Assert.Equal(
            ["A-1", "a-1", "a-2", "é", "中"],
            await Sql.ListAsync<string>(created, "SELECT id FROM unnest(array['中', 'a-2', 'é', 'A-1', 'a-1']) AS id ORDER BY id"));
        Assert.Equal("ÉCLAIR", await Sql.ScalarAsync<string>(created, "SELECT upper('éclair')"));
    }

    [Theory]
    [InlineData("Timeline")]
    [InlineData("time-line")]
    [InlineData("x\"; DROP DATABASE postgres; --")]
    [InlineData("")]
    public async Task A_database_name_outside_a_z_0_9_underscore_is_refused_before_reaching_the_server(string name) =>
        await Assert.ThrowsAsync<ArgumentException>(() =>
            PostgresDatabases.CreateIfMissingAsync("Host=127.0.0.1;Port=1", name, TestContext.Current.CancellationToken));

    [Fact]
    public async Task Without_server_binaries_the_start_fails_with_instructions_to_get_a_database()
    {
        var empty = Directory.CreateDirectory(_directory.Combine("empty")).FullName;
        var options = new LocalPostgresOptions { DataDirectory = _directory.Combine("data"), SearchPath = empty, InstallRoot = empty };

        var exception = await Assert.ThrowsAsync<PostgresBinariesNotFoundException>(() =>
            LocalPostgresCluster.StartAsync(options, _logger, TestContext.Current.CancellationToken));

        Assert.Contains("apt-get install postgresql", exception.Message, StringComparison.Ordinal);
        Assert.Contains("docker compose up -d postgres", exception.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__Timeline", exception.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(options.DataDirectory));
    }

    public void Dispose() => _directory.Dispose();

    private Task<LocalPostgresCluster> StartAsync(IReadOnlyDictionary<string, string>? settings = null) =>
        LocalPostgresCluster.StartAsync(
            new LocalPostgresOptions { DataDirectory = _directory.Combine("data"), ServerSettings = settings ?? FastSettings },
            _logger,
            TestContext.Current.CancellationToken);

    private static async Task<TcpClient> ConnectAsync(int port)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task<int> ExitedProcessIdAsync()
    {
        using var process = Process.Start("true");
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return process.Id;
    }

    // The first line of postmaster.pid is the server's process id.
    private static async Task<string> PostmasterPidAsync(LocalPostgresCluster cluster) =>
        (await File.ReadAllLinesAsync(Path.Combine(cluster.DataDirectory, "postmaster.pid"), TestContext.Current.CancellationToken))[0];

    /// <summary>One running cluster for the tests that only look at it, since each initdb costs seconds.</summary>
    public sealed class SharedCluster : IAsyncLifetime
    {
        public const string ApplicationName = "it's quoted";

        private readonly TemporaryDirectory _directory = new();
        private LocalPostgresCluster? _cluster;

        /// <summary>The running cluster; skips the test (fails it, on CI) when the machine has no binaries.</summary>
        internal LocalPostgresCluster Cluster
        {
            get
            {
                PostgresRequirement.Binaries();
                return _cluster ?? throw new InvalidOperationException("The shared cluster did not start.");
            }
        }

        public async ValueTask InitializeAsync()
        {
            if (PostgresBinaries.TryFind(out _))
            {
                // A quote in a value proves the settings survive the shell that pg_ctl passes them through.
                var settings = new Dictionary<string, string>(FastSettings) { ["application_name"] = ApplicationName, ["checkpoint_timeout"] = "20min" };
                _cluster = await LocalPostgresCluster.StartAsync(
                    new LocalPostgresOptions { DataDirectory = _directory.Combine("data"), ServerSettings = settings },
                    new TestOutputLogger(),
                    TestContext.Current.CancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }

            _directory.Dispose();
        }
    }
}
