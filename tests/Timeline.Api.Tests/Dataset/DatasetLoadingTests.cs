using Microsoft.Extensions.DependencyInjection;
using Timeline.Api.Dataset;
using Timeline.Api.Tests.Infrastructure;
using Timeline.Dataset.Format;
using Timeline.Dataset.Loading;

namespace Timeline.Api.Tests.Dataset;

/// <summary>
/// Loading datasets into a store that did not load one on start: through the HTTP API (the command-line tool's
/// way) and in process (the first start's way), twice, with a refused entry, and with an entry edited after loading.
/// </summary>
public sealed class DatasetLoadingTests(TimelineApp app) : ApiTest(app)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private HttpDatasetTarget OverHttp => new(new TimelineHttpClient(App.Writer));

    private WriterDatasetTarget InProcess => App.Services.GetRequiredService<WriterDatasetTarget>();

    [Fact]
    public async Task TheCuratedDatasetLoadsOverHttpAndLoadingItAgainInProcessWritesNothing()
    {
        var dataset = CuratedDataset.Embedded();
        var before = await App.CountAsync();
        var steps = new List<LoadStep>();

        var first = await DatasetLoader.LoadAsync(dataset, OverHttp, steps.Add, Token);

        Assert.True(first.Succeeded, first.Failure?.Detail);
        Assert.Equal(dataset.Entries.Count, first.Written);
        Assert.Equal(61, first.EventsWritten);
        Assert.Equal(dataset.Entries.Count, steps.Count);
        var loaded = await App.CountAsync();
        Assert.Equal(before.Events + 61, loaded.Events);

        var again = await DatasetLoader.LoadAsync(dataset, InProcess, null, Token);

        Assert.Equal(0, again.Written);
        Assert.Equal(dataset.Entries.Count, again.AlreadyLoaded);
        Assert.Equal(loaded, await App.CountAsync());
    }

    [Fact]
    public async Task AnEntryTheRehearsalRefusesStopsTheLoadBeforeAnythingIsWritten()
    {
        using var directory = SmallDataset("us-test-refused", amendmentEffectiveAt: "2024-01-01"); // before the issue: refused
        var before = await App.CountAsync();

        var report = await DatasetLoader.LoadAsync(CuratedDataset.FromDirectory(directory.Path), OverHttp, null, Token);

        var refused = Assert.Single(report.Refused);
        Assert.Equal("us-test-refused/amended", refused.Entry.Id);
        Assert.Contains("Unprocessable", refused.Problem, StringComparison.Ordinal);
        Assert.Empty(report.Steps);
        Assert.Equal(before, await App.CountAsync());
    }

    [Fact]
    public async Task AnEntryEditedAfterItWasLoadedIsReportedNotWrittenAgain()
    {
        using (var original = SmallDataset("us-test-edited", amendmentEffectiveAt: "2025-03-01"))
        {
            Assert.Equal(2, (await DatasetLoader.LoadAsync(CuratedDataset.FromDirectory(original.Path), InProcess, null, Token)).Written);
        }

        using var edited = SmallDataset("us-test-edited", amendmentEffectiveAt: "2025-04-01");
        var before = await App.CountAsync();

        var report = await DatasetLoader.LoadAsync(CuratedDataset.FromDirectory(edited.Path), OverHttp, null, Token);

        Assert.Equal([LoadOutcome.AlreadyLoaded, LoadOutcome.Changed], report.Steps.Select(step => step.Outcome));
        Assert.Equal(before, await App.CountAsync());
    }

    [Fact]
    public async Task TheFirstStartLoadLeavesAStoreWithOtherWritesAlone()
    {
        await App.Writer.WriteAsync("/api/policies", Scenarios.Issue("us-test-own-write", "2025-01-01"));

        Assert.True(await InProcess.HoldsOtherEventsAsync(Token));
    }

    /// <summary>A one-instrument dataset: an issue on 2025-01-01 and an amendment.</summary>
    private static TemporaryDirectory SmallDataset(string id, string amendmentEffectiveAt)
    {
        var directory = new TemporaryDirectory();
        File.WriteAllText(directory.Combine("dataset.json"), """{ "formatVersion": 1, "name": "test", "reviewedOn": "2026-11-29", "files": ["test.json"] }""");
        File.WriteAllText(directory.Combine("test.json"), $$"""
            { "formatVersion": 1, "title": "test", "entries": [
              { "id": "{{id}}/issued", "write": "issue", "body": { "id": "{{id}}", "kind": "rule", "title": "Test rule", "jurisdiction": "US", "topics": ["test"], "effectiveAt": "2025-01-01" } },
              { "id": "{{id}}/amended", "write": "amend", "policyId": "{{id}}", "body": { "effectiveAt": "{{amendmentEffectiveAt}}", "set": { "rate": 10 } } } ] }
            """);
        return directory;
    }
}
