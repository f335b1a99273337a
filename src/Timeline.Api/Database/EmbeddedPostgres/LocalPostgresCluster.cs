using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Timeline.Api.Database.EmbeddedPostgres;

/// <summary>
/// A PostgreSQL server run from the machine's own binaries, in a data directory of our choosing, listening
/// on a free loopback port only. Disposing it stops the server; the data stays for the next start.
/// </summary>
internal sealed partial class LocalPostgresCluster : IAsyncDisposable
{
    private readonly PostgresBinaries _binaries;
    private readonly ServerAccount _account;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private int _running = 1;

    private LocalPostgresCluster(
        PostgresBinaries binaries, ServerAccount account, string dataDirectory, int port, string version, TimeSpan timeout, ILogger logger)
    {
        _binaries = binaries;
        _account = account;
        _timeout = timeout;
        _logger = logger;
        DataDirectory = dataDirectory;
        Port = port;
        Version = version;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
        }.ConnectionString;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    /// <summary>The server's version, e.g. <c>15.18</c>.</summary>
    public string Version { get; }

    /// <summary>The <c>postgres</c> database as the <c>postgres</c> superuser, over TCP on the loopback port.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// Initialises the data directory if it holds no cluster yet, stops a server that a previous run left
    /// behind in it, and starts the server.
    /// </summary>
    /// <exception cref="PostgresBinariesNotFoundException">The machine has no PostgreSQL server binaries.</exception>
    /// <exception cref="EmbeddedPostgresException">A step failed; the message carries that step's output.</exception>
    public static async Task<LocalPostgresCluster> StartAsync(
        LocalPostgresOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var settings = FormatSettings(MachineSizedSettings.With(options.ServerSettings, MachineSizedSettings.AvailableMemory()));
        var binaries = PostgresBinaries.Find(options.SearchPath, options.InstallRoot);
        var account = await ServerAccount.ForCurrentProcessAsync(cancellationToken);
        var version = await ReadVersionAsync(binaries, cancellationToken);

        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        var logFile = LogFileFor(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        await using (File.Open(logFile, FileMode.Append))
        {
            // Created here so that the server's account can own it without owning the directory around it.
        }

        await account.TakeOwnershipAsync(dataDirectory, logFile, logger, cancellationToken);

        var timeout = options.WaitTimeout;
        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            await InitDbAsync(binaries, account, dataDirectory, options.ServerSettings, logger, cancellationToken);
        }

        await StopLeftoverServerAsync(binaries, account, dataDirectory, timeout, logger, cancellationToken);

        var port = options.Port ?? FreeTcpPort.OnLoopback();
        logger.LogInformation(
            "Starting the embedded PostgreSQL {Version} from {Binaries} in {DataDirectory} on port {Port}",
            version, binaries.Directory, Shorten(dataDirectory), port);
        var start = await account.RunAsync(
            binaries.PgCtl,
            ["start", "-D", dataDirectory, "-l", logFile, "-w", "-t", Seconds(timeout), "-o", ServerOptions(port, settings)],
            cancellationToken);
        if (!start.Succeeded)
        {
            throw new EmbeddedPostgresException(
                $"Starting PostgreSQL in {dataDirectory} failed.{Environment.NewLine}{start.Describe()}{Environment.NewLine}"
                + $"Last lines of {logFile}:{Environment.NewLine}{ReadTail(logFile)}");
        }

        return new LocalPostgresCluster(binaries, account, dataDirectory, port, version, timeout, logger);
    }

    /// <summary>Creates the database unless it exists and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        PostgresDatabases.CreateIfMissingAsync(ConnectionString, name, cancellationToken);

    /// <summary>Stops the server (fast: open sessions are ended) and waits until it is gone. Safe to call twice.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _running, 0) == 0)
        {
            return;
        }

        _logger.LogInformation("Stopping the embedded PostgreSQL in {DataDirectory}", Shorten(DataDirectory));
        var stop = await _account.RunAsync(
            _binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", Seconds(_timeout)], cancellationToken);
        if (!stop.Succeeded && await IsRunningAsync(_binaries, _account, DataDirectory, cancellationToken))
        {
            throw new EmbeddedPostgresException($"Stopping PostgreSQL in {DataDirectory} failed.{Environment.NewLine}{stop.Describe()}");
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static async Task InitDbAsync(
        PostgresBinaries binaries,
        ServerAccount account,
        string dataDirectory,
        IReadOnlyDictionary<string, string> settings,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        logger.LogInformation("Creating a PostgreSQL cluster in {DataDirectory}", Shorten(dataDirectory));
        // Trust: the server listens on 127.0.0.1 only and has no Unix socket, so only this machine can connect.
        List<string> arguments = ["-D", dataDirectory, "-E", "UTF8", "--locale=C.UTF-8", "-A", "trust", "-U", "postgres"];
        if (settings.TryGetValue("fsync", out var fsync) && fsync == "off")
        {
            // A server that never syncs gains nothing from a synced initdb, and it saves a second per cluster.
            arguments.Add("--no-sync");
        }

        var initDb = await account.RunAsync(binaries.InitDb, arguments, cancellationToken);
        initDb.EnsureSucceeded($"Creating a PostgreSQL cluster in {dataDirectory}");
    }

    private static async Task StopLeftoverServerAsync(
        PostgresBinaries binaries,
        ServerAccount account,
        string dataDirectory,
        TimeSpan timeout,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        // A pid file alone proves nothing (pg_ctl start copes with a stale one); a live server would hold the
        // data directory on its old port, so it is stopped before ours starts.
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid"))
            || !await IsRunningAsync(binaries, account, dataDirectory, cancellationToken))
        {
            return;
        }

        logger.LogWarning("A PostgreSQL server left running by a previous run uses {DataDirectory}: stopping it first", Shorten(dataDirectory));
        var stop = await account.RunAsync(
            binaries.PgCtl, ["stop", "-D", dataDirectory, "-m", "fast", "-w", "-t", Seconds(timeout)], cancellationToken);
        // pg_ctl stop also fails when the process vanishes on its own without removing its pid file (a server
        // that was already exiting): what matters is that nothing runs there any more.
        if (!stop.Succeeded && await IsRunningAsync(binaries, account, dataDirectory, cancellationToken))
        {
            throw new EmbeddedPostgresException(
                $"Stopping the PostgreSQL server left running in {dataDirectory} failed.{Environment.NewLine}{stop.Describe()}");
        }
    }

    // pg_ctl status: 0 means running, 3 not running, 4 no usable data directory.
    private static async Task<bool> IsRunningAsync(
        PostgresBinaries binaries, ServerAccount account, string dataDirectory, CancellationToken cancellationToken) =>
        (await account.RunAsync(binaries.PgCtl, ["status", "-D", dataDirectory], cancellationToken)).ExitCode == 0;

    private static async Task<string> ReadVersionAsync(PostgresBinaries binaries, CancellationToken cancellationToken)
    {
        // "--version" is the one thing postgres agrees to do as root.
        var result = (await ProcessRunner.RunAsync(binaries.Postgres, ["--version"], cancellationToken))
            .EnsureSucceeded($"Asking {binaries.Postgres} for its version");
        var match = VersionPattern().Match(result.StandardOutput);
        return match.Success ? match.Groups[1].Value : result.StandardOutput.Trim();
    }

    /// <summary>The <c>-o</c> value of pg_ctl, which hands it to a shell.</summary>
    private static string ServerOptions(int port, IEnumerable<string> settings) =>
        string.Join(' ', [
            "-c listen_addresses=127.0.0.1",
            $"-p {port.ToString(CultureInfo.InvariantCulture)}",
            // No Unix socket: it would collide with a system server's lock file, and long temp paths exceed the socket path limit.
            "-c unix_socket_directories=''",
            .. settings,
        ]);

    // Single-quoted because pg_ctl passes its -o value through a shell.
    private static List<string> FormatSettings(IReadOnlyDictionary<string, string> settings) =>
        settings
            .Select(setting => SettingNamePattern().IsMatch(setting.Key)
                ? $"-c {ShellQuote($"{setting.Key}={setting.Value}")}"
                : throw new ArgumentException($"'{setting.Key}' is not a PostgreSQL setting name.", nameof(settings)))
            .ToList();

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Seconds(TimeSpan timeout) =>
        ((int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static string LogFileFor(string dataDirectory) =>
        Path.Combine(Path.GetDirectoryName(dataDirectory) ?? dataDirectory, "postgres.log");

    private static string ReadTail(string logFile, int lines = 20)
    {
        try
        {
            return string.Join(Environment.NewLine, File.ReadLines(logFile).TakeLast(lines));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(could not read it: {e.Message})";
        }
    }

    // Relative to the current directory when it is inside it, as an operator would type it.
    private static string Shorten(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    [GeneratedRegex(@"\(PostgreSQL\) (\d+(?:\.\d+)*)")]
    private static partial Regex VersionPattern();

    [GeneratedRegex("^[a-z_][a-z0-9_.]*$")]
    private static partial Regex SettingNamePattern();
}
