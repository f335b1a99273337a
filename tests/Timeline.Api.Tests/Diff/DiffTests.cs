using System.Net;
using System.Text.Json;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Diff;

/// <summary>What changed between two dates, and what the record learned between two days about one date.</summary>
public sealed class DiffTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task Between_two_dates_it_lists_what_came_into_force_what_left_force_and_what_changed_with_old_and_new_values()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-diff-old", "2023-01-01", ("topics", new[] { "diff-a" })));
        await App.Writer.WriteAsync("/api/policies", Issue("us-diff-changed", "2023-01-01", ("topics", new[] { "diff-a" }), ("provisions", new { fee = 100, destinations = new[] { "CN" } })));
        await App.Writer.WriteAsync("/api/policies/us-diff-changed/amendments", new { effectiveAt = "2024-09-01", set = new { fee = 250 }, remove = new[] { "destinations" } });
        await App.Writer.WriteAsync("/api/policies", Issue("us-diff-new", "2024-10-01", ("topics", new[] { "diff-a" }), ("rescinds", new[] { "us-diff-old" })));
        await App.Writer.WriteAsync("/api/policies", Issue("us-diff-untouched", "2023-01-01", ("topics", new[] { "diff-a" })));

        var diff = await App.Anonymous.GetJsonAsync("/api/diff?from=2024-06-01&to=2025-06-01&topic=diff-a");

        Assert.Equal(["us-diff-new"], Ids(diff, "cameIntoForce"));
        Assert.Equal(["us-diff-old"], Ids(diff, "leftForce"));
        Assert.Equal("rescinded", diff.GetProperty("leftForce")[0].Text("statusAfter"));
        var changed = diff.GetProperty("changedProvisions").EnumerateArray().Single(d => d.Text("id") == "us-diff-changed");
        var provisions = changed.GetProperty("provisions").EnumerateArray().ToDictionary(p => p.Text("key"));
        Assert.Equal(100, provisions["fee"].GetProperty("before").GetInt32());
        Assert.Equal(250, provisions["fee"].GetProperty("after").GetInt32());
        Assert.Equal(JsonValueKind.Null, provisions["destinations"].GetProperty("after").ValueKind);
        Assert.DoesNotContain("us-diff-untouched", AllIds(diff));
    }

    [Fact]
    public async Task Between_two_record_times_it_shows_what_the_record_learned_about_one_date()
    {
        var issued = await App.Writer.WriteAsync("/api/policies", Issue("us-learned", "2024-01-01", ("topics", new[] { "diff-b" }), ("provisions", new { fee = 1 })));
        var learned = await App.Writer.WriteAsync("/api/policies/us-learned/amendments", new { effectiveAt = "2024-03-01", set = new { fee = 2 } });
        await App.Writer.WriteAsync("/api/policies", Issue("us-learned-revoker", "2024-04-01", ("topics", new[] { "diff-b" }), ("rescinds", new[] { "us-learned" })));

        var diff = await App.Anonymous.GetJsonAsync(
            $"/api/diff?at=2024-03-15&fromAsOf={Uri.EscapeDataString(Instant(issued.RecordedAt))}&toAsOf={Uri.EscapeDataString(Instant(learned.RecordedAt))}&topic=diff-b");

        var changed = Assert.Single(diff.GetProperty("changedProvisions").EnumerateArray());
        Assert.Equal("us-learned", changed.Text("id"));
        Assert.Equal(1, changed.GetProperty("provisions")[0].GetProperty("before").GetInt32());
        Assert.Equal(2, changed.GetProperty("provisions")[0].GetProperty("after").GetInt32());
        Assert.Empty(Ids(diff, "leftForce"));
    }

    [Theory]
    [InlineData("/api/diff?from=2025-01-01")]
    [InlineData("/api/diff?from=2025-06-01&to=2025-01-01")]
    [InlineData("/api/diff?from=2025-01-01&to=2025-06-01&fromAsOf=2025-01-01")]
    [InlineData("/api/diff?from=yesterday&to=2025-06-01")]
    public async Task An_incomplete_or_impossible_diff_is_400(string path) =>
        await App.Anonymous.GetJsonAsync(path, HttpStatusCode.BadRequest);

    private static string[] Ids(JsonElement diff, string group) =>
        [.. diff.GetProperty(group).EnumerateArray().Select(d => d.Text("id"))];

    private static string[] AllIds(JsonElement diff) =>
        [.. new[] { "cameIntoForce", "leftForce", "changedProvisions", "otherStatusChanges" }.SelectMany(group => Ids(diff, group))];
}
