using Timeline.Api.Tests.Infrastructure;
using Timeline.Cli;
using Timeline.Dataset.Format;
using Timeline.Dataset.Requests;

namespace Timeline.Api.Tests.Dataset;

/// <summary>The committed data files: they read, they rehearse without a refusal, and the instruments page is generated from them.</summary>
public sealed class CuratedDatasetTests
{
    [Fact]
    public void TheCommittedDatasetLoadsCleanlyIntoAnEmptyStore()
    {
        var dataset = CuratedDataset.Embedded();

        var rehearsal = Rehearsal.Run(dataset.Entries);

        Assert.Empty(rehearsal.Problems);
        Assert.Equal(30, dataset.Entries.Count(entry => entry.Write.Kind == WriteKind.Issue));
        Assert.Equal(61, rehearsal.EventCount);
    }

    [Fact]
    public void TheBuiltInDatasetIsTheRepositorysDataFolder()
    {
        var fromFolder = CuratedDataset.FromDirectory(Path.Combine(RepositoryRoot.Path, "data"));

        Assert.Equal(CuratedDataset.Embedded().Entries.Select(entry => entry.Marker), fromFolder.Entries.Select(entry => entry.Marker));
    }

    [Fact]
    public void TheInstrumentsPageInDocsIsUpToDate()
    {
        var committed = File.ReadAllText(Path.Combine(RepositoryRoot.Path, InstrumentTable.DefaultPath));

        Assert.True(
            committed.ReplaceLineEndings("\n") == InstrumentTable.Markdown(CuratedDataset.Embedded()).ReplaceLineEndings("\n"),
            $"{InstrumentTable.DefaultPath} is out of date: run `dotnet run --project src/Timeline.Cli -- dataset table` and commit it.");
    }

    [Fact]
    public async Task TheTableCommandWritesThatPage()
    {
        using var directory = new TemporaryDirectory();
        var output = directory.Combine("page.md");
        var console = new StringWriter();

        var exitCode = await TimelineCommand.Create().Parse(["dataset", "table", "--output", output])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = console, Error = console }, TestContext.Current.CancellationToken);

        Assert.True(exitCode == 0, console.ToString());
        Assert.Equal(InstrumentTable.Markdown(CuratedDataset.Embedded()), await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void AMalformedDatasetListsEveryProblemAndReadsNothing()
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllText(directory.Combine("dataset.json"), """{ "formatVersion": 1, "name": "t", "reviewedOn": "2026-11-29", "files": ["a.json", "b.json"] }""");
        File.WriteAllText(directory.Combine("a.json"), """
            { "formatVersion": 2, "title": "a", "entries": [
              { "id": "x/issued", "write": "issue", "body": { "id": "us-x" } },
              { "id": "y/amended", "write": "amend", "policyId": "us-y", "body": {} },
              { "id": "z/revoked", "write": "revoke", "policyId": "us-x", "body": {} } ] }
            """);

        var problems = Assert.Throws<DatasetFormatException>(() => CuratedDataset.FromDirectory(directory.Path)).Problems;

        Assert.Contains(problems, p => p.Contains("a.json: formatVersion 2", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'us-y' is not issued by an earlier entry", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("write 'revoke' is not one of", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("b.json: not found", StringComparison.Ordinal));
    }
}

/// <summary>The repository's root, found from the test binaries by its solution file.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Timeline.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Timeline.sln above {AppContext.BaseDirectory}.");
    }
}
