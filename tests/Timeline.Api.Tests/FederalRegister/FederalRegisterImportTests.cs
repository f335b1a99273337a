using Timeline.Api.Tests.Infrastructure;
using Timeline.Dataset.FederalRegister;
using Timeline.Dataset.Loading;
using static Timeline.Api.Tests.FederalRegister.FederalRegisterFixtures;

namespace Timeline.Api.Tests.FederalRegister;

/// <summary>Importing Federal Register documents through the HTTP API into a store without the dataset: idempotent by document number, nothing half-imported.</summary>
public sealed class FederalRegisterImportTests(TimelineApp app) : ApiTest(app)
{
    private TimelineHttpClient Client => new(App.Writer);

    private Task<IReadOnlyList<ImportResult>> ImportAsync(params ImportPlan[] plans) =>
        FederalRegisterImport.ApplyAsync(plans, Client, null, TestContext.Current.CancellationToken);

    [Fact]
    public async Task ImportingOrdersRecordsTheRevocationRefusesWhatItCannotMapAndImportingAgainWritesNothing()
    {
        var plans = new[] { "2023-24283.json", "2025-01901.json", "2025-02172.json", "2025-18601.json", "2025-02655.json", "2022-22037.json" }
            .Select(file => Map(file)).ToArray();

        var first = await ImportAsync(plans);

        Assert.Equal(
            [ImportOutcome.Imported, ImportOutcome.Imported, ImportOutcome.Imported, ImportOutcome.Failed, ImportOutcome.Failed, ImportOutcome.Failed],
            first.Select(result => result.Outcome));
        var eo14110 = await App.Anonymous.StateAsync("us-eo-14110", "2025-01-21");
        Assert.Equal("rescinded", eo14110.Status());
        Assert.Equal("us-eo-14148", eo14110.Text("rescindedBy"));
        Assert.Equal("in-force", (await App.Anonymous.StateAsync("us-eo-14110", "2025-01-19")).Status());
        await App.Anonymous.GetJsonAsync("/api/policies/us-proclamation-10973", System.Net.HttpStatusCode.NotFound);
        var counts = await App.CountAsync();

        var second = await ImportAsync(plans);

        Assert.Equal(
            [ImportOutcome.AlreadyRecorded, ImportOutcome.AlreadyRecorded, ImportOutcome.AlreadyRecorded, ImportOutcome.Failed, ImportOutcome.Failed, ImportOutcome.Failed],
            second.Select(result => result.Outcome));
        Assert.Equal(counts, await App.CountAsync());
    }

    [Fact]
    public async Task AnOrderRevokingAnOrderTheRecordLacksIsRefusedWithNothingWritten()
    {
        var order = Synthetic("2025-01901.json",
            ("document_number", "2099-00003"),
            ("executive_order_number", 99998),
            ("executive_order_notes", "Revokes: EO 99997, January 1, 2099"));
        var before = await App.CountAsync();

        var result = Assert.Single(await ImportAsync(FederalRegisterMapper.Map("synthetic", order, NoIds)));

        Assert.Equal(ImportOutcome.Failed, result.Outcome);
        Assert.Contains(result.Messages, message => message.Contains("'us-eo-99997', which is not recorded", StringComparison.Ordinal));
        Assert.Equal(before, await App.CountAsync());
    }

    [Fact]
    public async Task ACorrectionAmendsTheCorrectedRuleOnceWithItsOwnDates()
    {
        Assert.Equal(ImportOutcome.Imported, Assert.Single(await ImportAsync(Map("2022-21658.json"))).Outcome);
        var correction = FederalRegisterMapper.Map("synthetic", Synthetic("2025-02655.json",
            ("document_number", "2099-00004"),
            ("title", "Synthetic correction for the test"),
            ("effective_on", "2022-10-28"),
            ("publication_date", "2022-11-01"),
            ("correction_of", "https://www.federalregister.gov/api/v1/documents/2022-21658")), NoIds);

        Assert.Equal(ImportOutcome.Imported, Assert.Single(await ImportAsync(correction)).Outcome);
        var counts = await App.CountAsync();
        Assert.Equal(ImportOutcome.AlreadyRecorded, Assert.Single(await ImportAsync(correction)).Outcome);

        Assert.Equal(counts, await App.CountAsync());
        Assert.False((await App.Anonymous.StateAsync("us-fr-2022-21658", "2022-10-27")).HasProvision("correcting-amendment.2099-00004"));
        Assert.True((await App.Anonymous.StateAsync("us-fr-2022-21658", "2022-10-28")).HasProvision("correcting-amendment.2099-00004"));
        var history = await App.Anonymous.GetJsonAsync("/api/policies/us-fr-2022-21658/history");
        var amended = history.GetProperty("events")[1];
        Assert.Equal("2022-11-01", amended.GetProperty("data").Text("publishedOn"));
        Assert.Equal("federal-register/2099-00004", amended.Text("correlationId"));
    }
}
