namespace Timeline.Api.Tests.Observability;

/// <summary>
/// The in-process telemetry tests run alone. Meters created through a host's <c>IMeterFactory</c> (ASP.NET Core's,
/// Timeline's) stopped reaching a host's OpenTelemetry listener when another test host in the same process was
/// disposed meanwhile (seen with OpenTelemetry 1.20 on .NET 10); a service has one host per process, where it does not arise.
/// </summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class InProcessTelemetry;
