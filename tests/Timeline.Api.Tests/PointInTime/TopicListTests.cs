using System.Text.Json;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.PointInTime;

/// <summary>
/// A list filtered by topic walks the instruments that ever had the topic (policy_topics) a few hundred at a time:
/// pages must come out whole and in order however sparse the matches, and the topic is still the one the record had
/// at the times asked.
/// </summary>
public sealed class TopicListTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task Pages_by_topic_are_complete_and_in_order_when_the_matches_lie_past_hundreds_of_candidates()
    {
        const string topic = "sparse-matches";
        // 300 instruments with the topic not yet in force in 2025, sorting before the 3 that are.
        var items = Enumerable.Range(0, 300)
            .Select(i => (object)new { write = "issue", body = Issue($"us-sparse-a{i:D3}", "2030-01-01", ("topics", new[] { topic })) })
            .Concat(Enumerable.Range(1, 3).Select(i => (object)new { write = "issue", body = Issue($"us-sparse-z{i}", "2020-01-01", ("topics", new[] { topic, "ai" })) }));
        await App.Writer.WriteBatchAsync(items);

        var first = await App.Writer.GetJsonAsync($"/api/policies?at=2025-01-01&topic={topic}&limit=2");
        Assert.Equal(["us-sparse-z1", "us-sparse-z2"], Ids(first));
        var cursor = first.Text("nextCursor");
        var second = await App.Writer.GetJsonAsync($"/api/policies?at=2025-01-01&topic={topic}&limit=2&cursor={cursor}");
        Assert.Equal(["us-sparse-z3"], Ids(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        var pending = await App.Writer.GetJsonAsync($"/api/policies?at=2025-01-01&topic={topic}&status=pending&limit=1000");
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"us-sparse-a{i:D3}"), Ids(pending));
    }

    [Fact]
    public async Task A_topic_corrected_away_lists_the_instrument_under_its_old_topic_only_as_of_before_the_correction()
    {
        var issued = await App.Writer.WriteAsync("/api/policies", Issue("us-topic-moved", "2020-01-01", ("topics", new[] { "topic-before" })));
        var correction = await App.Writer.WriteAsync("/api/policies/us-topic-moved/corrections", new
        {
            eventId = issued.EventIds[0],
            changes = new { topics = new[] { "topic-after" } },
            reason = "filed under the wrong topic",
        });

        Assert.Equal(["us-topic-moved"], Ids(await App.Writer.GetJsonAsync($"/api/policies?at=2024-01-01&topic=topic-before{AsOf(Before(correction.RecordedAt))}")));
        Assert.Empty(Ids(await App.Writer.GetJsonAsync($"/api/policies?at=2024-01-01&topic=topic-after{AsOf(Before(correction.RecordedAt))}")));
        Assert.Empty(Ids(await App.Writer.GetJsonAsync("/api/policies?at=2024-01-01&topic=topic-before")));
        Assert.Equal(["us-topic-moved"], Ids(await App.Writer.GetJsonAsync("/api/policies?at=2024-01-01&topic=topic-after")));
    }

    private static List<string> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(item => item.Text("id"))];
}
