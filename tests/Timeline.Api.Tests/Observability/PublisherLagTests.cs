using Microsoft.AspNetCore.Hosting;
using Npgsql;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Observability;

/// <summary>An instance that does not publish (no daemon here, as on every instance but one): the lag is every event of the log.</summary>
[Collection(typeof(InProcessTelemetry))]
public sealed class PublisherLagTests(PublisherLagTests.NotPublishingApp app) : IClassFixture<PublisherLagTests.NotPublishingApp>
{
    [Fact]
    public async Task With_no_publisher_the_lag_is_the_whole_log_and_grows_with_each_write()
    {
        app.RequirePostgres();
        await app.Writer.WriteAsync("/api/policies", Scenarios.Issue("lag-one", "2024-01-01"));
        var first = await LagAsync();
        Assert.Equal(await EventsAsync(), first);

        await app.Writer.WriteAsync("/api/policies", Scenarios.Issue("lag-two", "2024-01-01"));
        await app.Writer.WriteAsync("/api/policies/lag-two/suspensions", new Dictionary<string, object?> { ["effectiveAt"] = "2024-02-01", ["reason"] = "stayed by a court" });
        var later = await LagAsync();
        Assert.Equal(first + 2, later);
        Assert.Equal(await EventsAsync(), later);
    }

    /// <summary>The gauge once it shows the log's current head (a reading is reused for up to a second).</summary>
    private async Task<double> LagAsync()
    {
        var events = await EventsAsync();
        PrometheusText? scrape = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                scrape = await PrometheusText.ScrapeAsync(app.Anonymous);
                return scrape.Find("timeline_publisher_lag_events") == events;
            },
            TimeSpan.FromSeconds(20),
            () => $"the publisher lag did not show the {events} events of the log:\n{scrape?.Text}");
        return scrape!.Find("timeline_publisher_lag_events")!.Value;
    }

    private async Task<long> EventsAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("select coalesce(max(seq_id), 0) from timeline.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public sealed class NotPublishingApp(PostgresServer postgres) : TimelineApp(postgres)
    {
        protected override void Configure(IWebHostBuilder host) => host.UseSetting("Timeline:Notifications:Publish", "false");
    }
}
