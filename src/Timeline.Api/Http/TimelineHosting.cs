using NodaTime;
using Scalar.AspNetCore;
using Timeline.Api.Auth;
using Timeline.Api.Database;
using Timeline.Api.Observability;
using Timeline.Api.Page;
using Timeline.Api.PointInTime;
using Timeline.Api.Security;
using Timeline.Api.Writing;
using Timeline.Dataset.Requests;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;

namespace Timeline.Api.Http;

/// <summary>Service registration and the request pipeline, so Program.cs reads as a table of contents.</summary>
public static class TimelineHosting
{
    public const string LegalTimeZoneKey = "Timeline:LegalTimeZone";

    public static IHostApplicationBuilder AddTimelineApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        // The same reading of bodies as the dataset's (see RequestJson).
        services.ConfigureHttpJsonOptions(options => RequestJson.Configure(options.SerializerOptions));
        // "Règle" rather than "R\u00e8gle": answers are JSON documents, never pasted into HTML unescaped.
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        // Malformed bodies reach the error handler as exceptions, so their problem says what is wrong.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddTimelineErrorHandling(builder.Configuration);
        builder.AddTimelineSecurity();
        services.AddTimelineHealthChecks();
        builder.AddTimelineObservability();
        services.AddOpenApi(options => options.DescribeDomainTypes());

        var zoneId = builder.Configuration[LegalTimeZoneKey] ?? TimeZones.DefaultZoneId;
        var legalZone = TimeZones.TryFind(zoneId, out var zone)
            ? zone
            : throw new InvalidOperationException($"{LegalTimeZoneKey} '{zoneId}' is not an IANA time zone such as 'America/New_York'.");
        services.AddSingleton<DateTimeZone>(legalZone);
        services.AddSingleton<ReadClock>();
        services.AddSingleton<PolicyWriter>();
        services.AddSingleton<PointInTimeQueries>();
        services.AddSingleton<ReadModel.ReadModelRebuild>();
        services.AddHostedService<ReadModel.TopicsBackfill>();
        return builder;
    }

    public static WebApplication UseTimelineApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseTimelineObservability();
        app.UseTimelineSecurityHeaders();
        app.UseTimelineErrorHandling();
        app.UseCors();
        RequestBodyLimit.UseRequestBodyLimits(app);
        app.UseTimelinePage();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization, so each caller (key name or token subject) has its own budget.
        app.UseRateLimiter();
        // The API's description is public even where reads need credentials.
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs", options => options.WithTitle("Timeline API").DisableDefaultFonts()).AllowAnonymous();
        app.MapTimelineHealthChecks();
        app.MapTimelineMetrics();
        app.MapTimelineApi();
        return app;
    }
}
