using JasperFx.OpenTelemetry;
using Marten;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Timeline.Api.Observability;

/// <summary>
/// What the service shows of itself: OpenTelemetry traces and metrics of ASP.NET Core, HttpClient, Npgsql, Marten,
/// MassTransit, the runtime and Timeline's own meter; OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
/// (the standard OTEL_* variables configure it); a Prometheus <c>/metrics</c> endpoint; JSON logs with correlation ids.
/// </summary>
public static class ObservabilityHosting
{
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string MetricsPath = "/metrics";

    public static IHostApplicationBuilder AddTimelineObservability(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddTimelineJsonLogs();
        builder.Services.AddSingleton<PipelineLag>();
        builder.Services.AddSingleton<TimelineMetrics>();
        builder.Services.ConfigureMarten(marten =>
        {
            // A span per session (connection) and a counter of appended events by type; Marten emits neither by default.
            marten.OpenTelemetry.TrackConnections = TrackLevel.Normal;
            marten.OpenTelemetry.TrackEventCounters();
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(TelemetryNames.ServiceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = http => !IsHousekeeping(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddSource([.. TelemetryNames.ActivitySources]))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter([.. TelemetryNames.Meters])
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]))
        {
            // Traces, metrics and logs; protocol, headers and the rest from the standard OTEL_EXPORTER_OTLP_* variables.
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Before the error handler, so the counters see the status a failure was answered with.</summary>
    public static WebApplication UseTimelineObservability(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<CorrelationScope>();
        app.UseMiddleware<RequestMetrics>();
        return app;
    }

    public static IEndpointRouteBuilder MapTimelineMetrics(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Resolved now so the lag gauges exist before the first request.
        app.ServiceProvider.GetRequiredService<TimelineMetrics>();
        app.MapPrometheusScrapingEndpoint(MetricsPath).WithTags("Health").ExcludeFromDescription();
        return app;
    }

    /// <summary>Probes and scrapes every few seconds would drown the traces of real requests.</summary>
    private static bool IsHousekeeping(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.Ordinal) || path.StartsWithSegments(MetricsPath, StringComparison.Ordinal);
}
