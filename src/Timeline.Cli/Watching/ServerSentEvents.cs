using System.Globalization;
using System.Runtime.CompilerServices;

namespace Timeline.Cli.Watching;

/// <summary>One server-sent event; <see cref="Retry"/> is the reconnection delay the server asked for, if it did.</summary>
internal sealed record ServerSentEvent(string? Id, string? Event, string? Data, TimeSpan? Retry);

/// <summary>Reads a <c>text/event-stream</c> body event by event (the WHATWG rules the tool needs: id, event, data, retry; comments skipped).</summary>
internal static class ServerSentEvents
{
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream);
        string? id = null, name = null;
        TimeSpan? retry = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0 || retry is not null)
                {
                    yield return new ServerSentEvent(id, name, data.Count > 0 ? string.Join('\n', data) : null, retry);
                }

                (name, retry) = (null, null);
                data.Clear();
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..]);
            value = value.StartsWith(' ') ? value[1..] : value;
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
                case "retry" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds):
                    retry = TimeSpan.FromMilliseconds(milliseconds);
                    break;
            }
        }
    }
}
