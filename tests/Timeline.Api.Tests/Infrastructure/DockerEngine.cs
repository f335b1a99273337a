using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Timeline.Api.Tests.Infrastructure;

/// <summary>
/// Whether a Docker engine answers, asked directly and briefly: Testcontainers itself would spend far
/// longer finding out that there is none.
/// </summary>
internal static class DockerEngine
{
    public static async Task<bool> AnswersAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        foreach (var endPoint in CandidateEndPoints())
        {
            try
            {
                if (await PingAsync(endPoint, deadline.Token))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not this one.
            }
        }

        return false;
    }

    // The places Testcontainers looks too: DOCKER_HOST, else the usual rootful and rootless sockets.
    private static IEnumerable<EndPoint> CandidateEndPoints()
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrWhiteSpace(dockerHost) && Uri.TryCreate(dockerHost, UriKind.Absolute, out var uri))
        {
            if (uri.Scheme == "unix")
            {
                yield return new UnixDomainSocketEndPoint(uri.AbsolutePath);
            }
            else if (uri.Scheme is "tcp" or "http")
            {
                yield return new DnsEndPoint(uri.Host, uri.Port);
            }

            yield break;
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string?[] sockets =
        [
            "/var/run/docker.sock",
            Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime ? Path.Combine(runtime, "docker.sock") : null,
            Path.Combine(home, ".docker", "run", "docker.sock"),
            Path.Combine(home, ".docker", "desktop", "docker.sock"),
        ];
        foreach (var socket in sockets)
        {
            if (socket is not null && File.Exists(socket))
            {
                yield return new UnixDomainSocketEndPoint(socket);
            }
        }
    }

    private static async Task<bool> PingAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        using var socket = endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint, cancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"), cancellationToken);
        var buffer = new byte[256];
        var read = await socket.ReceiveAsync(buffer, cancellationToken);
        var response = Encoding.ASCII.GetString(buffer, 0, read);
        return response.StartsWith("HTTP/1.", StringComparison.Ordinal) && response.Contains(" 200 ", StringComparison.Ordinal);
    }
}
