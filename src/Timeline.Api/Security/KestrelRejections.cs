using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Timeline.Api.Http;

namespace Timeline.Api.Security;

/// <summary>
/// Kestrel refuses some requests itself, before any middleware runs: a <c>%00</c> or a control character in the
/// path, headers or a request line over the limits, conflicting framing headers, an unknown HTTP version. It
/// answers those with an empty body, which no middleware can reach. This connection middleware sees them on
/// their way out (an HTTP/1.x error status with <c>Content-Length: 0</c> and <c>Connection: close</c>, written
/// while the application holds no request of that connection) and gives them the problem+json body every other
/// refusal has. Anything else (every answer of the application, HTTP/2 frames, TLS records) passes unchanged.
/// </summary>
public static class KestrelRejections
{
    private static readonly ConcurrentDictionary<string, ConnectionState> Connections = new(StringComparer.Ordinal);

    /// <summary>Adds the rewriting to an endpoint; call it on every endpoint (<c>ConfigureEndpointDefaults</c>).</summary>
    public static void Use(ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => async connection =>
        {
            var state = new ConnectionState();
            Connections[connection.ConnectionId] = state;
            var transport = connection.Transport;
            var output = new RejectionRewriter(transport.Output, state);
            connection.Transport = new DuplexPipe(transport.Input, output);
            try
            {
                await next(connection);
            }
            finally
            {
                Connections.TryRemove(connection.ConnectionId, out _);
                connection.Transport = transport;
            }
        });
    }

    /// <summary>Marks the requests the application answers, first in the pipeline, so their answers are never touched.</summary>
    public static IApplicationBuilder UseKestrelRejectionMarks(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // Servers other than Kestrel (the test server) give no connection id, and need no marks.
            if (context.Connection.Id is { } id && Connections.TryGetValue(id, out var state))
            {
                Interlocked.Increment(ref state.Answering);
                context.Response.OnCompleted(() =>
                {
                    Interlocked.Decrement(ref state.Answering);
                    return Task.CompletedTask;
                });
            }

            return next(context);
        });

    /// <summary>The problem+json answer for an empty Kestrel refusal, or null when <paramref name="written"/> is anything else.</summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> written)
    {
        if (written.Length is < 17 or > 1024 || !written.EndsWith("\r\n\r\n"u8) || written.IndexOf("\r\n\r\n"u8) != written.Length - 4
            || !(written.StartsWith("HTTP/1.1 "u8) || written.StartsWith("HTTP/1.0 "u8)) || written[9] is < (byte)'4' or > (byte)'5'
            || written.IndexOf("\r\nContent-Length: 0\r\n"u8) < 0 || written.IndexOf("\r\nConnection: close\r\n"u8) < 0
            || written.IndexOf("\r\nContent-Type:"u8) >= 0)
        {
            return null;
        }

        var head = Encoding.ASCII.GetString(written[..^4]);
        var lines = head.Split("\r\n");
        if (!int.TryParse(lines[0].AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            return null;
        }

        var reason = lines[0].Length > 13 ? lines[0][13..] : "Bad Request";
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = Problems.TypeFor(status),
            ["title"] = reason,
            ["status"] = status,
            ["detail"] = DetailFor(status),
        });
        var answer = new StringBuilder(lines[0]).Append("\r\n");
        foreach (var line in lines.Skip(1).Where(line => !line.StartsWith("Content-Length:", StringComparison.Ordinal)))
        {
            answer.Append(line).Append("\r\n");
        }

        answer.Append("Content-Type: application/problem+json\r\n")
            .Append("X-Content-Type-Options: nosniff\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(answer.ToString()), .. body];
    }

    private static string DetailFor(int status) => status switch
    {
        StatusCodes.Status414UriTooLong => "The request line (method, path and query) is longer than the server accepts.",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "The request headers are larger, or more numerous, than the server accepts.",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than the server accepts.",
        StatusCodes.Status408RequestTimeout => "The request did not arrive in time.",
        StatusCodes.Status505HttpVersionNotsupported => "Timeline serves HTTP/1.0, HTTP/1.1 and HTTP/2.",
        _ => "The request is malformed: for example a %00 or a control character in the path, a header that is not 'name: value', "
            + "conflicting Content-Length and Transfer-Encoding, or a missing Host.",
    };

    private sealed class ConnectionState
    {
        public int Answering;
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Holds what Kestrel writes until it flushes, then passes it on, rewritten when it is an empty refusal.</summary>
    private sealed class RejectionRewriter(PipeWriter inner, ConnectionState state) : PipeWriter
    {
        private readonly ArrayBufferWriter<byte> _pending = new(1024);

        public override bool CanGetUnflushedBytes => true;

        public override long UnflushedBytes => _pending.WrittenCount;

        public override void Advance(int bytes) => _pending.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => _pending.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _pending.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            Forward();
            inner.Complete(exception);
        }

        public override ValueTask CompleteAsync(Exception? exception = null)
        {
            Forward();
            return inner.CompleteAsync(exception);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Forward();
            return inner.FlushAsync(cancellationToken);
        }

        private void Forward()
        {
            if (_pending.WrittenCount == 0)
            {
                return;
            }

            var written = _pending.WrittenSpan;
            var rewritten = Volatile.Read(ref state.Answering) == 0 ? Rewrite(written) : null;
            if (rewritten is null)
            {
                inner.Write(written);
            }
            else
            {
                inner.Write(rewritten);
            }

            _pending.ResetWrittenCount();
        }
    }
}
