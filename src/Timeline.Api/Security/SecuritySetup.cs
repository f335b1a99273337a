using Microsoft.AspNetCore.Server.Kestrel.Core;
using Timeline.Api.Http;

namespace Timeline.Api.Security;

/// <summary>Limits on every request, write rate limits, CORS and security headers: registration and their place in the pipeline.</summary>
public static class SecuritySetup
{
    /// <summary>Method, path and query together; a longer request line is a 414.</summary>
    public const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>All request headers together; more is a 431. Room for a large bearer token.</summary>
    public const int MaxRequestHeadersBytes = 32 * 1024;

    public const int MaxRequestHeaderCount = 64;

    public static IHostApplicationBuilder AddTimelineSecurity(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestLineSize = MaxRequestLineBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = MaxRequestHeadersBytes;
            kestrel.Limits.MaxRequestHeaderCount = MaxRequestHeaderCount;
            // No request needs a bigger body than a write; the write endpoints' own cap answers first.
            kestrel.Limits.MaxRequestBodySize = TimelineApi.MaxWriteBodyBytes;
            kestrel.ConfigureEndpointDefaults(KestrelRejections.Use);
        });
        builder.Services.AddWriteRateLimiting(builder.Configuration);
        builder.Services.AddTimelineCors(builder.Configuration);
        return builder;
    }

    /// <summary>The part of the pipeline before the error handler: marks for Kestrel's refusals, and the headers every answer carries.</summary>
    public static WebApplication UseTimelineSecurityHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseKestrelRejectionMarks();
        app.UseSecurityHeaders();
        return app;
    }
}
