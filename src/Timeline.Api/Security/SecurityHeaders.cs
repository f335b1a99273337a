namespace Timeline.Api.Security;

/// <summary>
/// Headers on every answer: no MIME sniffing, no referrer leaks, no framing, and a content security policy. The
/// page at <c>/</c> and its assets, and every API answer, get the strict policy (scripts, styles and connections to
/// this origin only); the API reference under <c>/docs</c> runs an inline start-up script and injects styles, so it
/// gets a policy relaxed for exactly that; the audit report's HTML may use its inline stylesheet and nothing else.
/// </summary>
public static class SecurityHeaders
{
    public const string StrictPolicy =
        "default-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public const string DocsPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; "
        + "font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>The audit report's HTML carries its own inline stylesheet and no script at all.</summary>
    public const string ReportPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/docs") ? DocsPolicy
                    : context.Request.Path.StartsWithSegments("/api/audit/report") ? ReportPolicy
                    : StrictPolicy;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
}
