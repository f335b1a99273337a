using System.Net.Sockets;
using System.Text;

namespace Timeline.Api.Tests.Security;

/// <summary>An HTTP/1.1 exchange over a plain socket, for requests HttpClient would refuse or normalise.</summary>
internal static class RawHttp
{
    public sealed record Answer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public string? ContentType => Headers.TryGetValue("Content-Type", out var value) ? value : null;
    }

    /// <summary>Sends <paramref name="request"/> and reads the answer until the server closes; null when nothing came back in time.</summary>
    public static async Task<Answer?> ExchangeAsync(Uri address, byte[] request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port, deadline.Token);
        var stream = client.GetStream();
        // Sent beside the read: a server may answer (413) and close before a large body is all sent.
        var sending = Task.Run(async () =>
        {
            try
            {
                await stream.WriteAsync(request, deadline.Token);
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }, CancellationToken.None);

        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
            {
                await received.WriteAsync(buffer.AsMemory(0, read), deadline.Token);
            }
        }
        catch (IOException) when (received.Length > 0)
        {
            // A reset after the answer arrived: the server dropped the rest of a body it had refused.
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        client.Close();
        await sending;
        return Parse(received.ToArray());
    }

    private static Answer? Parse(byte[] bytes)
    {
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return null;
        }

        var lines = Encoding.Latin1.GetString(bytes, 0, end).Split("\r\n");
        var statusLine = lines[0].Split(' ');
        if (statusLine.Length < 2 || !int.TryParse(statusLine[1], System.Globalization.CultureInfo.InvariantCulture, out var status))
        {
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        var body = bytes.AsSpan(end + 4);
        var chunked = headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        return new Answer(status, headers, Encoding.UTF8.GetString(chunked ? Dechunk(body) : body));
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> chunked)
    {
        var body = new List<byte>();
        while (chunked.Length > 0)
        {
            var lineEnd = chunked.IndexOf("\r\n"u8);
            if (lineEnd < 0 || !int.TryParse(Encoding.ASCII.GetString(chunked[..lineEnd]), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var size) || size == 0)
            {
                break;
            }

            chunked = chunked[(lineEnd + 2)..];
            var take = Math.Min(size, chunked.Length);
            body.AddRange(chunked[..take]);
            chunked = chunked[Math.Min(chunked.Length, take + 2)..];
        }

        return [.. body];
    }
}
