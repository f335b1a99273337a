using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Timeline.Dataset.Requests;

namespace Timeline.Dataset.Format;

/// <summary>
/// The curated record (docs/dataset-format.md): <c>data/dataset.json</c> names the files in load order,
/// each file lists its entries in order, and each entry is one write of the HTTP API. Reading checks the
/// format and the references between entries; whether each write is accepted is the rehearsal's work.
/// </summary>
public sealed partial class CuratedDataset
{
    public const int FormatVersion = 1;
    public const string ManifestFile = "dataset.json";

    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    private CuratedDataset(string name, DateOnly reviewedOn, string? source, IReadOnlyList<DatasetEntry> entries)
    {
        Name = name;
        ReviewedOn = reviewedOn;
        Source = source;
        Entries = entries;
    }

    public string Name { get; }

    /// <summary>The day the facts were last checked against their sources; the instruments page states status on this day.</summary>
    public DateOnly ReviewedOn { get; }

    /// <summary>Where the facts come from.</summary>
    public string? Source { get; }

    /// <summary>Every write, in load order.</summary>
    public IReadOnlyList<DatasetEntry> Entries { get; }

    /// <summary>The dataset built into this assembly from the repository's <c>data/</c> folder.</summary>
    public static CuratedDataset Embedded()
    {
        var assembly = typeof(CuratedDataset).Assembly;
        return Read(file => assembly.GetManifestResourceStream("data/" + file));
    }

    /// <summary>A dataset in a folder of files in the same format, e.g. the repository's <c>data/</c>.</summary>
    public static CuratedDataset FromDirectory(string directory) =>
        Read(file => File.Exists(Path.Combine(directory, file)) ? File.OpenRead(Path.Combine(directory, file)) : null);

    [GeneratedRegex("^[a-z0-9]+(?:[-._/][a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex EntryIdPattern();

    [GeneratedRegex("^[a-z0-9]+(?:[-._][a-z0-9]+)*\\.json$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();

    private static CuratedDataset Read(Func<string, Stream?> open)
    {
        var problems = new List<string>();
        var manifest = ReadJson<Manifest>(open, ManifestFile, problems);
        if (manifest is null)
        {
            throw new DatasetFormatException(problems);
        }

        CheckVersion(ManifestFile, manifest.FormatVersion, problems);
        if (!DateOnly.TryParseExact(manifest.ReviewedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var reviewedOn))
        {
            problems.Add($"{ManifestFile}: reviewedOn '{manifest.ReviewedOn}' is not a date such as 2026-11-29");
        }

        var entries = new List<DatasetEntry>();
        var entryIds = new HashSet<string>(StringComparer.Ordinal);
        var issued = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fileName in manifest.Files)
        {
            if (!FileNamePattern().IsMatch(fileName) || fileName == ManifestFile)
            {
                problems.Add($"{ManifestFile}: '{fileName}' is not a data file name such as 'executive-orders.json'");
                continue;
            }

            var file = ReadJson<DataFile>(open, fileName, problems);
            if (file is null)
            {
                continue;
            }

            CheckVersion(fileName, file.FormatVersion, problems);
            foreach (var entry in file.Entries)
            {
                var read = ReadEntry(fileName, entry, entryIds, issued, problems);
                if (read is not null)
                {
                    entries.Add(read);
                }
            }
        }

        return problems.Count > 0 ? throw new DatasetFormatException(problems) : new CuratedDataset(manifest.Name, reviewedOn, manifest.Source, entries);
    }

    private static DatasetEntry? ReadEntry(string file, EntryFile entry, HashSet<string> entryIds, HashSet<string> issued, List<string> problems)
    {
        var where = $"{file}: entry '{entry.Id}'";
        var before = problems.Count;
        if (!EntryIdPattern().IsMatch(entry.Id) || entry.Id.Length > 120)
        {
            problems.Add($"{where}: the id must be lower-case words joined by '-', '.', '_' or '/', at most 120 characters");
        }
        else if (!entryIds.Add(entry.Id))
        {
            problems.Add($"{where}: another entry has the same id");
        }

        if (!WriteRequest.Names.TryGetValue(entry.Write, out var kind))
        {
            problems.Add($"{where}: write '{entry.Write}' is not one of {string.Join(", ", WriteRequest.Names.Keys)}");
            return null;
        }

        string? policyId;
        if (kind == WriteKind.Issue)
        {
            policyId = entry.Body["id"]?.GetValueKind() == JsonValueKind.String ? entry.Body["id"]!.GetValue<string>() : null;
            if (policyId is null)
            {
                problems.Add($"{where}: an issue's body needs an 'id'");
            }
            else if (entry.PolicyId is not null && entry.PolicyId != policyId)
            {
                problems.Add($"{where}: policyId '{entry.PolicyId}' is not the body's id '{policyId}'");
            }
            else if (!issued.Add(policyId))
            {
                problems.Add($"{where}: '{policyId}' is issued twice");
            }
        }
        else
        {
            policyId = entry.PolicyId;
            if (policyId is null)
            {
                problems.Add($"{where}: a '{entry.Write}' entry needs the policyId it writes to");
            }
            else if (!issued.Contains(policyId))
            {
                problems.Add($"{where}: '{policyId}' is not issued by an earlier entry");
            }
        }

        var write = new WriteRequest(kind, policyId ?? string.Empty, entry.Body);
        foreach (var related in write.Related().Where(id => !issued.Contains(id)))
        {
            problems.Add($"{where}: it names '{related}', which no earlier entry issues");
        }

        return problems.Count > before ? null : new DatasetEntry(entry.Id, file, write);
    }

    private static void CheckVersion(string file, int version, List<string> problems)
    {
        if (version != FormatVersion)
        {
            problems.Add($"{file}: formatVersion {version} is not {FormatVersion}, the only version this build reads");
        }
    }

    private static T? ReadJson<T>(Func<string, Stream?> open, string file, List<string> problems)
        where T : class
    {
        using var stream = open(file);
        if (stream is null)
        {
            problems.Add($"{file}: not found");
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(stream, FileJson) ?? throw new JsonException("The file holds null.");
        }
        catch (JsonException exception)
        {
            problems.Add($"{file}: {exception.Message}");
            return null;
        }
    }

    private sealed record Manifest(int FormatVersion, string Name, string ReviewedOn, IReadOnlyList<string> Files, string? Source = null, string? Description = null);

    private sealed record DataFile(int FormatVersion, string Title, IReadOnlyList<EntryFile> Entries, string? Description = null);

    private sealed record EntryFile(string Id, string Write, JsonObject Body, string? PolicyId = null);
}
