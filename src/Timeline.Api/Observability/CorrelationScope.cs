using System.Diagnostics;
using Timeline.Api.Writing;

namespace Timeline.Api.Observability;

/// <summary>
/// Puts the request's correlation id in a logging scope, so every log line of the request carries it (JSON logs show
/// it under <c>Scopes</c>), and on the request's span. The same id the writer records with the events: the caller's
/// <c>X-Correlation-Id</c> when it is a valid one, else the trace id.
/// </summary>
public sealed class CorrelationScope(RequestDelegate next, ILogger<CorrelationScope> logger)
{
    public const string ScopeKey = "CorrelationId";
    private const string SpanTag = "timeline.correlation_id";

    public async Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var correlationId = FromHeader(http) ?? Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        Activity.Current?.SetTag(SpanTag, correlationId);
        using (logger.BeginScope(new Dictionary<string, object> { [ScopeKey] = correlationId }))
        {
            await next(http);
        }
    }

    /// <summary>Only a value the writer would accept (one of visible ASCII, as long as it allows); an invalid one is the writer's 400, not a log field.</summary>
    private static string? FromHeader(HttpContext http)
    {
        var values = http.Request.Headers[WriteEndpoint.CorrelationIdHeader];
        var value = values.Count == 1 ? values[0] : null;
        return value is { Length: > 0 and <= WriteEndpoint.MaxHeaderValueLength } && value.All(c => c is >= (char)0x21 and <= (char)0x7E) ? value : null;
    }
}
