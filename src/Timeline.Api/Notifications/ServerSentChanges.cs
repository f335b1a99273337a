using System.Text;
using System.Text.Json;
using Marten;
using Timeline.Contracts;

namespace Timeline.Api.Notifications;

/// <summary>
/// The server-sent event stream of one client: reads the log after its position in pages, writes the changes that
/// pass its filters, and waits for the next append (or a heartbeat) when it has caught up.
/// </summary>
public sealed class ServerSentChanges(ChangeStreamSource source, long after, string? topic, string? jurisdiction, JsonSerializerOptions json) : IResult
{
    public const string ContentType = "text/event-stream";
    public const string EventName = "policy-changed";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        var cancellationToken = httpContext.RequestAborted;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // proxies must not hold events back
        // The first line tells the client the stream is open, and from where.
        await WriteAsync(response, $"retry: {ChangeStreamSource.RetryMilliseconds}\n: changes after {after}\n\n", cancellationToken);

        var position = after;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var appended = source.Signal.NextAppend;
                var page = await source.ReadAsync(position, cancellationToken);
                foreach (var change in page.Changes.Where(Matches))
                {
                    await WriteAsync(response, Format(change), cancellationToken);
                }

                position = page.LastSequence;
                if (!page.Full)
                {
                    var heartbeat = Task.Delay(ChangeStreamSource.Heartbeat, TimeProvider.System, cancellationToken);
                    if (await Task.WhenAny(appended, heartbeat) == heartbeat)
                    {
                        await WriteAsync(response, ": keep-alive\n\n", cancellationToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; it resumes with Last-Event-ID.
        }
    }

    private bool Matches(PolicyChanged change) =>
        (topic is null || change.Topics.Contains(topic, StringComparer.Ordinal))
        && (jurisdiction is null || string.Equals(change.Jurisdiction, jurisdiction, StringComparison.Ordinal));

    private string Format(PolicyChanged change) =>
        $"id: {change.GlobalSequence}\nevent: {EventName}\ndata: {JsonSerializer.Serialize(change, json)}\n\n";

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}

/// <summary>What every change stream shares: the log reader, the append signal and the pacing.</summary>
public sealed class ChangeStreamSource(IDocumentStore store, ChangeMessages messages, LogSignal signal)
{
    public const int PageSize = 200;

    /// <summary>How long a client waits before reconnecting, told to it by the <c>retry:</c> field.</summary>
    public const int RetryMilliseconds = 2000;

    /// <summary>A comment this often keeps proxies from closing an idle stream.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public LogSignal Signal => signal;

    public async Task<LogPage> ReadAsync(long after, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await messages.AfterAsync(session, after, PageSize, cancellationToken);
    }
}
