using System.Net;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Observability;

/// <summary>/metrics: Timeline's own counters move with writes and queries, and the lag gauges read the log.</summary>
[Collection(typeof(InProcessTelemetry))]
public sealed class MetricsTests(TimelineApp app) : ApiTest(app)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Writes_count_by_capability_and_outcome_and_queries_by_endpoint()
    {
        var before = await PrometheusText.ScrapeAsync(App.Anonymous);
        var recorded = before.Value("timeline_writes_total", ("capability", "IssuePolicy"), ("outcome", "recorded"));
        var rejected = before.Value("timeline_writes_total", ("capability", "IssuePolicy"), ("outcome", "rejected"));
        var amended = before.Value("timeline_writes_total", ("capability", "AmendPolicy"), ("outcome", "recorded"));
        var queried = before.Value("timeline_queries_total", ("endpoint", "GetPolicy"), ("status", "200"));
        var missing = before.Value("timeline_queries_total", ("endpoint", "GetPolicy"), ("status", "404"));

        await App.Writer.WriteAsync("/api/policies", Scenarios.Issue("metrics-eo", "2024-01-01"));
        using (var again = await App.Writer.PostAsync("/api/policies", Scenarios.Issue("metrics-eo", "2024-01-01")))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        await App.Writer.WriteAsync("/api/policies/metrics-eo/amendments", new Dictionary<string, object?> { ["effectiveAt"] = "2024-02-01", ["set"] = new Dictionary<string, object> { ["a"] = 1 } });
        await App.Anonymous.GetJsonAsync("/api/policies/metrics-eo?at=2024-03-01");
        await App.Anonymous.GetJsonAsync("/api/policies/metrics-nothing?at=2024-03-01", HttpStatusCode.NotFound);

        PrometheusText? after = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                after = await PrometheusText.ScrapeAsync(App.Anonymous);
                return after.Value("timeline_queries_total", ("endpoint", "GetPolicy"), ("status", "404")) == missing + 1;
            },
            Timeout,
            () => $"the 404 query was not counted:\n{after?.Text}");

        Assert.Equal(recorded + 1, after!.Value("timeline_writes_total", ("capability", "IssuePolicy"), ("outcome", "recorded")));
        Assert.Equal(rejected + 1, after.Value("timeline_writes_total", ("capability", "IssuePolicy"), ("outcome", "rejected")));
        Assert.Equal(amended + 1, after.Value("timeline_writes_total", ("capability", "AmendPolicy"), ("outcome", "recorded")));
        Assert.Equal(queried + 1, after.Value("timeline_queries_total", ("endpoint", "GetPolicy"), ("status", "200")));
    }

    [Fact]
    public async Task The_publisher_catches_up_and_its_lag_reads_zero()
    {
        await App.Writer.WriteAsync("/api/policies", Scenarios.Issue("metrics-lag", "2024-01-01"));

        PrometheusText? scrape = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                scrape = await PrometheusText.ScrapeAsync(App.Anonymous);
                return scrape.Find("timeline_publisher_lag_events") == 0
                    && scrape.Find("timeline_daemon_lag_events", ("shard", "PolicyChangedPublisher:All")) == 0;
            },
            Timeout,
            () => $"the publisher's lag did not reach 0:\n{scrape?.Text}");
        Assert.NotNull(scrape!.Find("timeline_publisher_lag_seconds"));
        // The other meters are collected too: ASP.NET Core's, Npgsql's, the runtime's.
        Assert.Contains("http_server_request_duration_seconds", scrape.Text, StringComparison.Ordinal);
        Assert.Contains("db_client_", scrape.Text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_", scrape.Text, StringComparison.Ordinal);
    }
}
