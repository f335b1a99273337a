using System.Text.Json.Serialization;

namespace Timeline.Benchmarks.Results;

/// <summary>
/// One figure of a run, beside its reference: <see cref="Ratio"/> is how the figure compares with it, phrased by
/// <see cref="RatioText"/> ("0.42 of COPY", "310x faster than naive"); <see cref="Target"/> is issue 7's target. <see cref="ReferenceUnit"/>: when the reference counts something else
/// (raw COPY counts rows, the import events).
/// </summary>
public sealed record Figure(
    string Key,
    string Name,
    double Value,
    string Unit,
    string? Reference = null,
    double? ReferenceValue = null,
    string? RatioText = null,
    string? Target = null,
    bool? Met = null,
    string? Note = null,
    string? ReferenceUnit = null);

/// <summary>Everything measured at one size, with the machine and the moment.</summary>
public sealed record SizeResult(
    string Size,
    long Events,
    long Writes,
    int Seed,
    string Date,
    string Machine,
    string Commit,
    double Minutes,
    IReadOnlyList<Figure> Figures,
    IReadOnlyList<string> Notes)
{
    public Figure? Find(string key) => Figures.FirstOrDefault(f => f.Key == key);
}

/// <summary>The JSON file beside docs/benchmarks.md: the latest result per size.</summary>
public sealed record ResultFile(SortedDictionary<long, SizeResult> Sizes)
{
    [JsonIgnore]
    public IEnumerable<SizeResult> InOrder => Sizes.Values.OrderBy(s => s.Events);
}
