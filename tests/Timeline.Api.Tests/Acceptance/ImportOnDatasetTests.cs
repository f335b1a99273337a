using Timeline.Api.Tests.FederalRegister;
using Timeline.Dataset.FederalRegister;
using Timeline.Dataset.Loading;

namespace Timeline.Api.Tests.Acceptance;

/// <summary>Importing Federal Register documents the curated dataset already holds writes nothing.</summary>
public sealed class ImportOnDatasetTests(DatasetApp app) : AcceptanceTest(app)
{
    [Theory]
    [InlineData("2022-21658.json", "us-bis-2022-10-07-advanced-computing")]
    [InlineData("2025-02172.json", "us-eo-14179")]
    public async Task ADocumentTheDatasetHoldsIsAlreadyRecorded(string file, string id)
    {
        var before = await App.CountAsync();

        var result = Assert.Single(await FederalRegisterImport.ApplyAsync(
            [FederalRegisterFixtures.Map(file, FederalRegisterFixtures.DatasetIds)], new TimelineHttpClient(App.Writer), null, TestContext.Current.CancellationToken));

        Assert.Equal(ImportOutcome.AlreadyRecorded, result.Outcome);
        Assert.Contains(id, result.Messages[0], StringComparison.Ordinal);
        Assert.Equal(before, await App.CountAsync());
    }
}
