using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Timeline.Api.Tests.Infrastructure;

/// <summary>
/// A TCP proxy on a free loopback port that forwards to a target and can be told to misbehave as a network does:
/// <see cref="DropAll"/> resets every connection and refuses new ones (a dead link or a firewall's reset),
/// <see cref="Blackhole"/> lets connections open but carries nothing either way until <see cref="Forward"/> (a
/// partition: bytes, closes included, are held, then delivered), and <see cref="Delay"/> adds latency to every chunk.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Link, byte> _links = new();
    private readonly Task _accepting;
    private volatile Fault _fault = Fault.None;
    private long _delayTicks;
    private TaskCompletionSource _changed = NewSignal();

    public TcpFaultProxy(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    private enum Fault
    {
        None,
        Blackhole,
        Refuse,
    }

    public int Port { get; }

    private TimeSpan Latency => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));

    /// <summary>Connections accepted so far.</summary>
    public int Accepted { get; private set; }

    /// <summary>A proxy in front of the PostgreSQL server that <paramref name="connectionString"/> names.</summary>
    public static TcpFaultProxy ForPostgres(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return new TcpFaultProxy(new IPEndPoint(IPAddress.Parse(builder.Host!), builder.Port));
    }

    /// <summary><paramref name="connectionString"/> with its host and port replaced by the proxy's.</summary>
    public string Route(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port }.ConnectionString;

    /// <summary>Back to normal: held bytes are delivered, new connections go through.</summary>
    public void Forward() => Set(Fault.None, TimeSpan.Zero);

    public void Blackhole() => Set(Fault.Blackhole, Latency);

    /// <summary>Adds <paramref name="latency"/> before every chunk is forwarded, each way.</summary>
    public void Delay(TimeSpan latency) => Set(_fault, latency);

    /// <summary>Resets every open connection and every new one until <see cref="Forward"/>.</summary>
    public void DropAll()
    {
        Set(Fault.Refuse, Latency);
        foreach (var link in _links.Keys)
        {
            link.Reset();
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "VSTHRD003", Justification = "The accept loop was started by this proxy.")]
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        foreach (var link in _links.Keys)
        {
            link.Reset();
        }

        Set(Fault.None, TimeSpan.Zero); // releases pumps that wait for a fault to end
        try
        {
            await _accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stopping.Dispose();
    }

    private void Set(Fault fault, TimeSpan delay)
    {
        _fault = fault;
        Interlocked.Exchange(ref _delayTicks, delay.Ticks);
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stopping.Token);
            Accepted++;
            if (_fault == Fault.Refuse)
            {
                Reset(client);
                continue;
            }

            _ = Task.Run(() => LinkAsync(client));
        }
    }

    private async Task LinkAsync(Socket client)
    {
        var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        var link = new Link(client, upstream);
        _links[link] = 0;
        try
        {
            // A connection opened during a partition reaches nothing until it ends.
            await WhileFaultAsync(Fault.Blackhole);
            if (_fault == Fault.Refuse)
            {
                return;
            }

            await upstream.ConnectAsync(_target, _stopping.Token);
            await Task.WhenAll(PumpAsync(client, upstream), PumpAsync(upstream, client));
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // One side went away or was reset: the link ends.
        }
        finally
        {
            _links.TryRemove(link, out _);
            link.Reset();
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
            await WhileFaultAsync(Fault.Blackhole);
            if (_fault == Fault.Refuse)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }

            if (Latency is { Ticks: > 0 } delay)
            {
                await Task.Delay(delay, _stopping.Token); // injected latency, not synchronisation
            }

            if (read == 0)
            {
                to.Shutdown(SocketShutdown.Send);
                return;
            }

            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
        }
    }

    private async Task WhileFaultAsync(Fault fault)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task; // before the check, so that no change is missed
            if (_fault != fault)
            {
                return;
            }

            await changed.WaitAsync(_stopping.Token);
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0); // close with RST, as a dead link does
            socket.Close();
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Link(Socket client, Socket upstream)
    {
        public void Reset()
        {
            TcpFaultProxy.Reset(client);
            TcpFaultProxy.Reset(upstream);
        }
    }
}
