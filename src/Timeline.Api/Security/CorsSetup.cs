using Microsoft.Net.Http.Headers;
using Timeline.Api.Notifications;
using Timeline.Api.Writing;

namespace Timeline.Api.Security;

/// <summary>
/// <c>Timeline:Cors:Origins</c>: the browser origins (scheme, host and port, such as <c>https://policy.example</c>)
/// whose pages may call the API. None by default: only pages served by Timeline itself (same origin) can.
/// </summary>
public static class CorsSetup
{
    public const string OriginsKey = "Timeline:Cors:Origins";

    public static IServiceCollection AddTimelineCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = Origins(configuration);
        services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            policy.WithOrigins(origins)
                .WithMethods(HttpMethods.Get, HttpMethods.Post)
                .WithHeaders(
                    HeaderNames.ContentType, HeaderNames.Authorization, HeaderNames.IfMatch, HeaderNames.Accept, "X-Api-Key",
                    WriteEndpoint.IdempotencyKeyHeader, WriteEndpoint.CorrelationIdHeader, ChangeStreamApi.LastEventIdHeader)
                .WithExposedHeaders(HeaderNames.ETag, HeaderNames.Location, HeaderNames.RetryAfter, WriteEndpoint.ReplayedHeader, "X-Timeline-As-Of")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        }));
        return services;
    }

    public static string[] Origins(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var origins = configuration.GetSection(OriginsKey).Get<string[]>() ?? [];
        foreach (var origin in origins)
        {
            if (origin == "*" || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/" || origin.EndsWith('/'))
            {
                throw new InvalidOperationException($"{OriginsKey} holds '{origin}': list exact origins such as 'https://policy.example' (no '*', no path).");
            }
        }

        return origins;
    }
}
