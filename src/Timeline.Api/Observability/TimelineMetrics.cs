using System.Diagnostics.Metrics;

namespace Timeline.Api.Observability;

/// <summary>
/// Timeline's own meter: writes by capability and outcome, queries by endpoint, and how far the change publisher
/// and the async daemon are behind the log (read from the database at each collection, see <see cref="PipelineLag"/>).
/// </summary>
public sealed class TimelineMetrics
{
    public const string MeterName = "Timeline";

    private readonly Counter<long> _writes;
    private readonly Counter<long> _queries;

    public TimelineMetrics(IMeterFactory meters, PipelineLag lag)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(lag);
        var meter = meters.Create(MeterName);
        _writes = meter.CreateCounter<long>("timeline.writes", "{write}", "Write requests, by capability (the endpoint's name) and outcome.");
        _queries = meter.CreateCounter<long>("timeline.queries", "{query}", "Read requests, by endpoint and status code.");
        meter.CreateObservableGauge(
            "timeline.publisher.lag.events", () => lag.Read()?.PublisherEvents ?? [], "{event}", "Events recorded but not yet published to the bus.");
        meter.CreateObservableGauge(
            "timeline.publisher.lag", () => lag.Read()?.PublisherSeconds ?? [], "s", "Age of the oldest event not yet published (0 when none waits).");
        meter.CreateObservableGauge(
            "timeline.daemon.lag.events", () => lag.Read()?.DaemonEvents ?? [], "{event}", "Events between the log head and each async daemon position (mt_event_progression), by shard.");
    }

    public void RecordWrite(string capability, string outcome) =>
        _writes.Add(1, new KeyValuePair<string, object?>("capability", capability), new KeyValuePair<string, object?>("outcome", outcome));

    public void RecordQuery(string endpoint, int statusCode) =>
        _queries.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("status", statusCode));
}
