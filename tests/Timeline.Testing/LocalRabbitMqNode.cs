using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Timeline.Testing;

/// <summary>
/// A throwaway RabbitMQ node from the machine's <c>rabbitmq-server</c> (Debian: <c>apt-get install rabbitmq-server</c>),
/// with its data, logs, Erlang cookie and port-mapper daemon in a temporary directory and on free loopback ports, so
/// it neither needs nor touches a system broker. It can be stopped and started again on the same port (a broker
/// outage); disposing stops it and deletes everything.
/// </summary>
public sealed class LocalRabbitMqNode : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] Candidates =
    [
        "/usr/lib/rabbitmq/bin/rabbitmq-server", // Debian and Ubuntu; /usr/sbin/rabbitmq-server only switches user to it
        "/opt/homebrew/opt/rabbitmq/sbin/rabbitmq-server",
        "/usr/local/opt/rabbitmq/sbin/rabbitmq-server",
    ];

    private readonly string _server;
    private readonly string _nodeName = $"timeline-{Guid.NewGuid():N}"[..20] + "@localhost";
    private readonly int _epmdPort;
    private Process? _process;
    private bool _disposed;

    private LocalRabbitMqNode(string server, string directory)
    {
        _server = server;
        Directory = directory;
        Port = FreePort();
        _epmdPort = FreePort();
    }

    /// <summary>The node's directory: data, logs and <c>node.log</c>, the server's console output.</summary>
    public string Directory { get; }

    public int Port { get; }

    /// <summary>The broker for clients: guest/guest on 127.0.0.1.</summary>
    public Uri Uri => new($"amqp://guest:guest@127.0.0.1:{Port}/");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The server script, or null when RabbitMQ is not installed here.</summary>
    public static string? FindServer() =>
        Candidates.FirstOrDefault(File.Exists)
        ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, "rabbitmq-server"))
            .FirstOrDefault(path => File.Exists(path) && !IsDebianWrapper(path));

    /// <summary>Debian's /usr/sbin/rabbitmq-server only switches to the rabbitmq user and runs the real script.</summary>
    private static bool IsDebianWrapper(string path) => File.ReadAllText(path).Contains("su rabbitmq", StringComparison.Ordinal);

    /// <summary>Starts a node in a fresh temporary directory and waits until it accepts connections.</summary>
    public static async Task<LocalRabbitMqNode> StartAsync(string server, CancellationToken cancellationToken)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("timeline-rabbitmq-").FullName;
        var node = new LocalRabbitMqNode(server, directory);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "rabbitmq-env.conf"), "", cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(directory, "enabled_plugins"), "[].\n", cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(directory, "rabbitmq.conf"), $"listeners.tcp.default = 127.0.0.1:{node.Port}\nloopback_users = none\n", cancellationToken);
            await node.StartAgainAsync(cancellationToken);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the node (again), with the data it had, and waits until it accepts connections.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            return;
        }

        var start = new ProcessStartInfo(_server)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory,
        };
        foreach (var (name, value) in NodeEnvironment())
        {
            start.Environment[name] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {_server}.");
        var log = new StreamWriter(Path.Combine(Directory, "node.log"), append: true) { AutoFlush = true };
        _process.OutputDataReceived += (_, line) => Write(log, line.Data);
        _process.ErrorDataReceived += (_, line) => Write(log, line.Data);
        _process.Exited += (_, _) => log.Dispose();
        _process.EnableRaisingEvents = true;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        while (!await AcceptsAsync(deadline.Token))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"rabbitmq-server exited with {_process.ExitCode} before it listened; see {Path.Combine(Directory, "node.log")}.");
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    /// <summary>Stops the node as an operator would (SIGTERM, a clean shutdown) and waits until it is gone.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StopTimeout);
        try
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync(deadline.Token);
            }

            await process.WaitForExitAsync(deadline.Token);
            // The server script returns when the Erlang VM has stopped; the port is closed by then.
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await StopAsync();
        _process?.Dispose();
        _process = null;
        // The node started its own port-mapper daemon on a private port; it outlives the node unless told.
        try
        {
            using var epmd = Process.Start(new ProcessStartInfo("epmd", ["-port", _epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-kill"])
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (epmd is not null)
            {
                await epmd.WaitForExitAsync();
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No epmd on PATH: nothing was started under that name either.
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temporary directory is cleaned by the system in time.
        }
    }

    private IEnumerable<(string Name, string Value)> NodeEnvironment()
    {
        yield return ("HOME", Directory); // the Erlang cookie
        yield return ("RABBITMQ_NODENAME", _nodeName);
        yield return ("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        yield return ("RABBITMQ_NODE_PORT", Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return ("RABBITMQ_DIST_PORT", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return ("ERL_EPMD_PORT", _epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return ("RABBITMQ_CONF_ENV_FILE", Path.Combine(Directory, "rabbitmq-env.conf"));
        yield return ("RABBITMQ_CONFIG_FILE", Path.Combine(Directory, "rabbitmq.conf"));
        yield return ("RABBITMQ_ADVANCED_CONFIG_FILE", Path.Combine(Directory, "advanced.config"));
        yield return ("RABBITMQ_ENABLED_PLUGINS_FILE", Path.Combine(Directory, "enabled_plugins"));
        yield return ("RABBITMQ_MNESIA_BASE", Path.Combine(Directory, "mnesia"));
        yield return ("RABBITMQ_LOG_BASE", Path.Combine(Directory, "log"));
        yield return ("RABBITMQ_PID_FILE", Path.Combine(Directory, "rabbitmq.pid"));
        yield return ("RABBITMQ_LOGS", "-");
    }

    private async Task<bool> AcceptsAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The last lines after the process exited.
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
