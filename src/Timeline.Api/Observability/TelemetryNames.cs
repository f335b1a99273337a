namespace Timeline.Api.Observability;

/// <summary>
/// The <c>ActivitySource</c> and <c>Meter</c> names Timeline listens to. The libraries emit under these names
/// whether or not anyone listens; naming them is all it takes to collect their spans and metrics.
/// </summary>
public static class TelemetryNames
{
    /// <summary>The service name in every span and metric (OpenTelemetry's <c>service.name</c>), unless OTEL_SERVICE_NAME says otherwise.</summary>
    public const string ServiceName = "timeline";

    /// <summary>Npgsql 9 has its own "Npgsql" source and meter (Npgsql.OpenTelemetry only adds these names, and is served only for Npgsql 10).</summary>
    public const string Npgsql = "Npgsql";

    /// <summary>Marten 9's spans (sessions, the async daemon) and metrics.</summary>
    public const string Marten = "Marten";

    /// <summary>MassTransit's <c>DiagnosticHeaders.DefaultListenerName</c>: publish, send and consume spans and metrics.</summary>
    public const string MassTransit = "MassTransit";

    public static IReadOnlyList<string> ActivitySources { get; } = [Npgsql, Marten, MassTransit];

    public static IReadOnlyList<string> Meters { get; } = [Npgsql, Marten, MassTransit, TimelineMetrics.MeterName];
}
