namespace Timeline.Api.Tests.Infrastructure;

/// <summary>One server-sent event as the stream wrote it.</summary>
public sealed record ServerSentEvent(string? Id, string? Event, string Data);

/// <summary>Reads a <c>text/event-stream</c> response event by event; comments (heartbeats) are skipped.</summary>
public sealed class ServerSentEventReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream);

    /// <summary>Reads up to the first blank line: the comment the server writes when the stream opens.</summary>
    public async Task WaitUntilOpenAsync(TimeSpan timeout)
    {
        using var deadline = Deadline(timeout);
        while (await _reader.ReadLineAsync(deadline.Token) is { Length: > 0 })
        {
        }
    }

    /// <summary>The next event, or a failure after <paramref name="timeout"/>.</summary>
    public async Task<ServerSentEvent> NextAsync(TimeSpan timeout)
    {
        using var deadline = Deadline(timeout);
        string? id = null, name = null;
        var data = new List<string>();
        try
        {
            while (true)
            {
                var line = await _reader.ReadLineAsync(deadline.Token) ?? throw new EndOfStreamException("The server closed the stream.");
                if (line.Length == 0)
                {
                    if (data.Count > 0)
                    {
                        return new ServerSentEvent(id, name, string.Join('\n', data));
                    }

                    continue;
                }

                var (field, value) = line.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0
                    ? (line[..colon], line[(colon + 1)..].TrimStart(' '))
                    : (line, "");
                switch (field)
                {
                    case "id":
                        id = value;
                        break;
                    case "event":
                        name = value;
                        break;
                    case "data":
                        data.Add(value);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"No server-sent event within {timeout.TotalSeconds:F0} s.");
            throw;
        }
    }

    public void Dispose() => _reader.Dispose();

    private static CancellationTokenSource Deadline(TimeSpan timeout)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        return deadline;
    }
}
