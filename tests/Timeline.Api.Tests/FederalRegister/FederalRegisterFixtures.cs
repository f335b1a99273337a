using System.Text.Json.Nodes;
using Timeline.Dataset.FederalRegister;
using Timeline.Dataset.Format;

namespace Timeline.Api.Tests.FederalRegister;

/// <summary>The committed Federal Register documents (see Fixtures/README.md) and synthetic ones for what the sheet cannot supply.</summary>
internal static class FederalRegisterFixtures
{
    public static string Path(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "FederalRegister", "Fixtures", file);

    public static string Read(string file) => File.ReadAllText(Path(file));

    public static IReadOnlyDictionary<string, string> DatasetIds { get; } = FederalRegisterMapper.KnownIds(CuratedDataset.Embedded());

    public static IReadOnlyDictionary<string, string> NoIds { get; } = new Dictionary<string, string>();

    public static ImportPlan Map(string file, IReadOnlyDictionary<string, string>? knownIds = null) =>
        Assert.Single(FederalRegisterMapper.MapFile(file, Read(file), knownIds ?? NoIds));

    /// <summary>A fixture with some fields replaced: a synthetic document, numbered 2099-*, for a shape the sheet has no example of.</summary>
    public static JsonObject Synthetic(string file, params (string Field, JsonNode? Value)[] fields)
    {
        var document = JsonNode.Parse(Read(file))!.AsObject();
        foreach (var (field, value) in fields)
        {
            document[field] = value;
        }

        return document;
    }
}
