using System.Net;
using Timeline.Api.Tests.Infrastructure;
using Timeline.Dataset.Format;
using Timeline.Dataset.Loading;

namespace Timeline.Api.Tests.Acceptance;

/// <summary>
/// Questions whose honest answer is "unknown" (not recorded, unverified, not a policy instrument), and
/// what the record itself says: when each fact entered Timeline, from which source, and that loading again
/// writes nothing.
/// </summary>
public sealed class UnknownAndRecordTests(DatasetApp app) : AcceptanceTest(app)
{
    [Fact]
    public async Task AsOfBeforeTheDatasetWasRecordedTimelineKnowsNothingEvenOfRulesAlreadyPublished()
    {
        // The October 2022 rule was published long before this test run, but Timeline learned it only when the dataset was loaded.
        var before = Scenarios.Instant(App.BeforeLoad.AddDays(-1));
        var unknown = await Api.GetJsonAsync($"/api/policies/us-bis-2022-10-07-advanced-computing?at=2022-10-14&asOf={before}", HttpStatusCode.NotFound);

        Assert.Contains("No instrument 'us-bis-2022-10-07-advanced-computing' is recorded as of", unknown.Text("detail"), StringComparison.Ordinal);
        Assert.Equal("in-force", (await PolicyAsync("us-bis-2022-10-07-advanced-computing", "2022-10-14")).Status());
    }

    [Fact]
    public async Task HistoryTellsWhenEachFactEnteredTimelineAndFromWhichSource()
    {
        var history = await Api.GetJsonAsync("/api/policies/us-eo-14110/history");

        Assert.All(history.GetProperty("events").EnumerateArray(), recorded =>
        {
            Assert.True(recorded.GetProperty("recordedAt").GetDateTimeOffset() >= App.BeforeLoad);
            Assert.Equal("dataset", recorded.Text("recordedBy"));
            Assert.StartsWith("dataset/", recorded.Text("correlationId"), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(recorded.GetProperty("data").Text("citation")));
        });
    }

    [Fact]
    public async Task StargateIsNotAPolicyInstrumentSoTimelineHasNoRecordOfIt()
    {
        await Api.GetJsonAsync("/api/policies/us-2025-01-21-stargate?at=2025-01-22", HttpStatusCode.NotFound);
        var inForce = await Api.GetJsonAsync("/api/policies?at=2025-01-22&status=any&limit=1000");

        Assert.DoesNotContain(inForce.GetProperty("items").EnumerateArray(), item => item.Text("title").Contains("Stargate", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Eo14110sPublicationDateIsShownAsUnverified()
    {
        var policy = await PolicyAsync("us-eo-14110", "2024-01-01");

        Assert.Equal("verified", policy.GetProperty("confidence").Text("level"));
        Assert.Equal("unverified", policy.GetProperty("confidence").GetProperty("fields").Text("publishedOn"));
    }

    [Fact]
    public async Task TheSemiconductorManufacturingRulesEffectiveDateIsUnverified()
    {
        var policy = await PolicyAsync("us-bis-2023-10-17-semiconductor-manufacturing", "2024-01-01");

        Assert.Equal("unverified", policy.GetProperty("confidence").GetProperty("fields").Text("effectiveAt"));
        Assert.Contains("FR Doc. 2023-23049", policy.Text("citation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSecondRoundOfVoluntaryCommitmentsIsShownAsUnverified()
    {
        var policy = await PolicyAsync("us-white-house-2023-07-21-voluntary-ai-commitments", "2023-09-13");

        Assert.Equal("unverified", policy.GetProperty("confidence").GetProperty("fields").Text("provisions.companies"));
    }

    [Fact]
    public async Task TheEntityListRuleOfDecember2024HasNoCitationBecauseNoneWasConfirmed()
    {
        var policy = await PolicyAsync("us-bis-2024-12-02-entity-list", "2024-12-02");

        Assert.Equal("in-force", policy.Status());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, policy.GetProperty("citation").ValueKind);
        Assert.Equal("secondary", policy.GetProperty("confidence").Text("level"));
    }

    [Fact]
    public async Task ChangesAroundInaugurationDayShowEo14148AndTheRescissionOfEo14110()
    {
        var changes = await Api.GetJsonAsync("/api/changes?from=2025-01-19&to=2025-01-20");
        var items = changes.GetProperty("items").EnumerateArray().Select(item => (item.Text("policyId"), item.Text("type"))).ToList();

        Assert.Contains(("us-eo-14148", "issued"), items);
        Assert.Contains(("us-eo-14110", "rescinded"), items);
    }

    [Fact]
    public async Task LoadingAgainThroughTheHttpApiWithAnotherKeyWritesNothing()
    {
        var before = await App.CountAsync();

        var report = await DatasetLoader.LoadAsync(
            CuratedDataset.Embedded(), new HttpDatasetTarget(new TimelineHttpClient(App.Writer)), null, TestContext.Current.CancellationToken);

        Assert.True(report.Succeeded);
        Assert.Equal(0, report.Written);
        Assert.Equal(CuratedDataset.Embedded().Entries.Count, report.AlreadyLoaded);
        Assert.Equal(before, await App.CountAsync());
    }
}
