using System.Net;
using System.Text.Json;

namespace Timeline.Cli.Service;

/// <summary>The command line cannot be carried out as given; nothing was sent. Exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>No connection to the service, or no answer in time. Exit code 3.</summary>
internal sealed class ServiceUnreachableException(Uri server, string reason, Exception? inner = null)
    : Exception($"Cannot reach the Timeline service at {server}: {reason}", inner)
{
    public Uri Server { get; } = server;
}

/// <summary>The service refused the request with a 4xx problem; nothing was written. Exit code 1.</summary>
internal sealed class ServiceRefusedException(HttpStatusCode status, JsonElement? problem, string reason)
    : Exception($"{(int)status} {reason}")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The RFC 9457 problem the service answered, when it answered one.</summary>
    public JsonElement? Problem { get; } = problem;
}

/// <summary>The service failed (5xx), or answered something that is not the Timeline API. Exit code 5.</summary>
internal sealed class ServiceFailedException(string message) : Exception(message);
