using Microsoft.AspNetCore.Http.Metadata;

namespace Timeline.Api.Observability;

/// <summary>
/// Counts writes and queries as they answer. Outside the error handler, so a rejected write counts with the status
/// it was answered with. A write is an endpoint tagged "Writes" (its name, such as IssuePolicy, is the capability);
/// a query is any named GET endpoint under /api.
/// </summary>
public sealed class RequestMetrics(RequestDelegate next, TimelineMetrics metrics)
{
    private const string WritesTag = "Writes";

    public async Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        // Routing ran first (WebApplication puts it at the start); the error handler clears the endpoint on a failure.
        var endpoint = http.GetEndpoint();
        try
        {
            await next(http);
        }
        finally
        {
            Record(http, endpoint);
        }
    }

    private void Record(HttpContext http, Endpoint? endpoint)
    {
        var name = endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        if (name is null)
        {
            return;
        }

        if (endpoint!.Metadata.GetMetadata<ITagsMetadata>()?.Tags.Contains(WritesTag) == true)
        {
            metrics.RecordWrite(name, Outcome(http));
        }
        else if (HttpMethods.IsGet(http.Request.Method) && http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            metrics.RecordQuery(name, http.Response.StatusCode);
        }
    }

    /// <summary>recorded, replayed (an idempotent retry), rejected (4xx: the caller's or a conflict) or failed (5xx).</summary>
    private static string Outcome(HttpContext http) => http.Response.StatusCode switch
    {
        >= 500 => "failed",
        >= 400 => "rejected",
        _ when http.Response.Headers.ContainsKey(Writing.WriteEndpoint.ReplayedHeader) => "replayed",
        _ => "recorded",
    };
}
