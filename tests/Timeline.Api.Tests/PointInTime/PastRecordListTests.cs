using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Timeline.Api.PointInTime;
using Timeline.Api.ReadModel;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.PointInTime;

/// <summary>
/// A list as of a past record time at which the record was small takes its instruments from the log's first events
/// instead of walking every version row; it must answer exactly as the walk does, page by page.
/// </summary>
public sealed class PastRecordListTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task A_list_as_of_a_time_the_record_was_small_answers_as_the_walk_of_every_version_row_does()
    {
        var recordTimes = new List<DateTimeOffset>();
        recordTimes.AddRange(await RecordTimesOfBatchAsync(Enumerable.Range(1, 8).Select(i =>
            BatchItem("issue", null, Issue($"us-past-{i}", i % 2 == 0 ? "2020-01-01" : "2025-01-01", ("topics", i % 3 == 0 ? new[] { "trade" } : new[] { "ai", "trade" }))))));
        recordTimes.AddRange(await RecordTimesOfBatchAsync([
            BatchItem("amend", "us-past-2", new { effectiveAt = "2021-01-01", set = new { fee = 100 } }),
            BatchItem("suspend", "us-past-4", new { effectiveAt = "2022-01-01", reason = "enjoined" }),
            BatchItem("issue", null, Issue("us-past-0", "2023-01-01", ("rescinds", new[] { "us-past-6" }))),
            BatchItem("issue", null, Issue("us-past-9", "2020-06-01", ("topics", new[] { "trade" }))),
        ]));
        recordTimes.AddRange(await RecordTimesOfBatchAsync([
            BatchItem("amend", "us-past-2", new { effectiveAt = "2020-06-01", set = new { fee = 50 } }),
            BatchItem("reinstate", "us-past-4", new { effectiveAt = "2023-01-01", reason = "injunction lifted" }),
        ]));

        var tables = App.Services.GetRequiredService<ReadModelTables>();
        // A record this small is never a sixteenth of itself: the share is lifted to take candidates at any size.
        var fromTheLog = new PointInTimeQueries(tables, smallShare: 1);
        var walking = new PointInTimeQueries(tables, smallRecord: 0);
        // Small only up to the fourth event: later record times walk, after the first list has seen the fourth event.
        var smallUpToFour = new PointInTimeQueries(tables, smallRecord: 4, smallShare: 1);
        // The service's own: a sixteenth of a few events is none, so it walks.
        var service = App.Services.GetRequiredService<PointInTimeQueries>();
        var asOfs = recordTimes.SelectMany(time => new[] { Before(time), time }).Distinct().Order().ToList();
        var compared = 0;
        foreach (var asOf in asOfs)
        {
            foreach (var at in new[] { new DateTimeOffset(2019, 12, 31, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero) })
            {
                foreach (var (status, topic) in new[] { ("in-force", (string?)null), (null, null), ("in-force", "trade"), ("pending", null) })
                {
                    var filter = new PolicyFilter(status, topic, null, null, null, 3);
                    var expected = await AllPagesAsync(walking, at, asOf, filter);
                    Assert.Equal(expected, await AllPagesAsync(fromTheLog, at, asOf, filter));
                    Assert.Equal(expected, await AllPagesAsync(smallUpToFour, at, asOf, filter));
                    Assert.Equal(expected, await AllPagesAsync(service, at, asOf, filter));
                    compared += expected.Count;
                }
            }
        }

        // The record times chosen give lists that are empty (before the first write), partial and whole.
        Assert.True(compared > 100, $"only {compared} listed items were compared");
    }

    /// <summary>Every page of the list, as the JSON of each item, following the cursor.</summary>
    private async Task<List<string>> AllPagesAsync(PointInTimeQueries queries, DateTimeOffset at, DateTimeOffset asOf, PolicyFilter filter)
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var items = new List<string>();
        string? cursor = null;
        do
        {
            var (page, next) = await queries.ListAsync(connection, at, asOf, filter with { After = cursor }, TestContext.Current.CancellationToken);
            items.AddRange(page.Select(item => JsonSerializer.Serialize(item, TimelineApp.Json)));
            cursor = next;
        }
        while (cursor is not null);

        return items;
    }

    /// <summary>Writes the batch and returns the record time of each of its items.</summary>
    private async Task<IEnumerable<DateTimeOffset>> RecordTimesOfBatchAsync(IEnumerable<object> items) =>
        [.. (await App.Writer.WriteBatchAsync(items)).GetProperty("items").EnumerateArray().Select(item => item.GetProperty("recordedAt").GetDateTimeOffset())];
}
