using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Timeline.Dataset.Requests;
using Timeline.Domain.Policies;

namespace Timeline.Dataset.FederalRegister;

/// <summary>
/// Maps Federal Register API document JSON (<c>/api/v1/documents/{number}.json</c>, or a search's
/// <c>results</c>) to Timeline writes, as docs/dataset-format.md describes:
/// a rule is issued as a rule; a correcting document amends the rule it corrects, with its own effective and
/// publication dates (it corrects the legal text, not Timeline's record); an executive order or proclamation is
/// issued with its number as its id, and its disposition notes "Revokes: EO n", "Supersedes: EO n" and
/// "Amends: EO n" become the matching relations. Anything it cannot map with certainty is an error, not a guess.
/// </summary>
public static partial class FederalRegisterMapper
{
    private const string Jurisdiction = "US";

    // What an agency's documents are about, for the topics every instrument needs; others get "federal-register".
    private static readonly Dictionary<string, string> AgencyTopics = new(StringComparer.Ordinal)
    {
        ["industry-and-security-bureau"] = "export-controls",
        ["homeland-security-department"] = "immigration",
        ["u-s-citizenship-and-immigration-services"] = "immigration",
        ["state-department"] = "immigration",
        ["labor-department"] = "labor",
        ["national-institute-of-standards-and-technology"] = "ai-safety",
        ["international-trade-administration"] = "trade",
        ["trade-representative-office-of-united-states"] = "trade",
    };

    [GeneratedRegex(@"^(?:C\d-)?\d{4}-\d{5}$", RegexOptions.CultureInvariant)]
    private static partial Regex DocumentNumberPattern();

    [GeneratedRegex(@"^\s*(Revokes|Supersedes|Amends|Revoked by|Superseded by|Amended by|See|Partially revokes|Partially revoked by)\s*:\s*(.*)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DispositionLine();

    [GeneratedRegex(@"\bE\.?O\.?\s*(\d{4,6})\b", RegexOptions.CultureInvariant)]
    private static partial Regex ExecutiveOrderReference();

    [GeneratedRegex(@"FR Doc\. ((?:C\d-)?\d{4}-\d{5})", RegexOptions.CultureInvariant)]
    private static partial Regex CitedDocument();

    /// <summary>The document numbers the curated dataset issues instruments for, so an import names them as the dataset does.</summary>
    public static IReadOnlyDictionary<string, string> KnownIds(Format.CuratedDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in dataset.Entries.Where(entry => entry.Write.Kind == WriteKind.Issue))
        {
            if (entry.Write.Body["citation"]?.GetValue<string>() is { } citation && CitedDocument().Match(citation) is { Success: true } match)
            {
                ids[match.Groups[1].Value] = entry.Write.PolicyId;
            }
        }

        return ids;
    }

    /// <summary>The documents in a file: one document, or the <c>results</c> of a search.</summary>
    public static IReadOnlyList<ImportPlan> MapFile(string source, string json, IReadOnlyDictionary<string, string> knownIds, IReadOnlyList<string>? topics = null)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException exception)
        {
            return [Failed(source, null, $"not JSON: {exception.Message}")];
        }

        if (root is JsonObject { } search && search["results"] is JsonArray results)
        {
            return [.. results.Select((document, index) => Map($"{source}#results[{index}]", document, knownIds, topics))];
        }

        return [Map(source, root, knownIds, topics)];
    }

    /// <summary>One document's plan.</summary>
    public static ImportPlan Map(string source, JsonNode? node, IReadOnlyDictionary<string, string> knownIds, IReadOnlyList<string>? topics = null)
    {
        ArgumentNullException.ThrowIfNull(knownIds);
        if (node is not JsonObject document)
        {
            return Failed(source, null, "not a Federal Register document: expected a JSON object");
        }

        var read = new DocumentReader(document);
        var number = read.Text("document_number", required: true);
        if (number is not null && !DocumentNumberPattern().IsMatch(number))
        {
            read.Errors.Add($"document_number '{number}' is not a Federal Register document number such as 2025-02172");
        }

        var type = read.Text("type", required: true);
        _ = type switch
        {
            "Rule" or "Presidential Document" or null => [],
            "Proposed Rule" => read.Fail("a proposed rule changes nothing in force: Timeline records the final rule"),
            "Notice" => read.Fail("a notice (a briefing, a meeting, a request for comments) is not a policy instrument Timeline records"),
            _ => read.Fail($"type '{type}' is unknown: expected Rule or Presidential Document"),
        };
        // A correction may do without a title; an instrument may not.
        var title = read.Text("title");
        if (read.Errors.Count > 0 || number is null)
        {
            return new ImportPlan(source, number, [], read.Errors, []);
        }

        var notes = new List<string>();
        var correcting = read.Text("action")?.Contains("correct", StringComparison.OrdinalIgnoreCase) == true;
        var writes = type switch
        {
            "Rule" when read.Text("correction_of") is not null => Correction(read, number, title ?? read.Text("action") ?? "correction", knownIds),
            // A correcting document that does not say what it corrects cannot be placed; issuing it as a rule of its own would misstate it.
            "Rule" when correcting => read.Fail(
                $"its action ('{read.Text("action")}') says it corrects another document, but correction_of is empty: record it by hand as an amendment of the rule it corrects"),
            _ when title is null => read.Fail("title is missing"),
            "Rule" => Rule(read, number, title, knownIds, topics),
            _ => Presidential(read, number, title, topics, notes),
        };
        return new ImportPlan(source, number, read.Errors.Count > 0 ? [] : writes, read.Errors, notes);
    }

    private static List<WriteRequest> Rule(DocumentReader read, string number, string title, IReadOnlyDictionary<string, string> knownIds, IReadOnlyList<string>? topics)
    {
        var effective = read.Date("effective_on");
        if (effective is null)
        {
            return read.Fail("effective_on is empty: the rule's effective date is in its text, not in the metadata; record it by hand");
        }

        var body = Base(read, knownIds.GetValueOrDefault(number) ?? $"us-fr-{number.ToLowerInvariant()}", "rule", title, effective, topics);
        body["citation"] = Citation(read, number);
        body["confidence"] = new JsonObject { ["level"] = "verified" };
        return read.Errors.Count > 0 ? [] : [new WriteRequest(WriteKind.Issue, body["id"]!.GetValue<string>(), body)];
    }

    private static List<WriteRequest> Correction(DocumentReader read, string number, string title, IReadOnlyDictionary<string, string> knownIds)
    {
        var corrected = read.Text("correction_of")!.TrimEnd('/').Split('/')[^1];
        corrected = corrected.EndsWith(".json", StringComparison.Ordinal) ? corrected[..^5] : corrected;
        if (!DocumentNumberPattern().IsMatch(corrected))
        {
            return read.Fail($"correction_of '{read.Text("correction_of")}' names no document number");
        }

        var effective = read.Date("effective_on") ?? read.Date("publication_date");
        var body = new JsonObject
        {
            ["effectiveAt"] = effective,
            ["publishedOn"] = read.Date("publication_date", required: true),
            ["set"] = new JsonObject { [$"correcting-amendment.{number.ToLowerInvariant()}"] = title },
            ["summary"] = $"Corrected by FR Doc. {number}: {title}",
            ["citation"] = Citation(read, number),
            ["sourceUrl"] = read.Text("html_url"),
            // Without effective_on the correction is taken as effective on publication: an inference.
            ["confidence"] = read.Date("effective_on") is null
                ? new JsonObject { ["level"] = "verified", ["fields"] = new JsonObject { ["effectiveAt"] = "unverified" } }
                : new JsonObject { ["level"] = "verified" },
        };
        RemoveNulls(body);
        var target = knownIds.GetValueOrDefault(corrected) ?? $"us-fr-{corrected.ToLowerInvariant()}";
        return read.Errors.Count > 0 ? [] : [new WriteRequest(WriteKind.Amend, target, body)];
    }

    private static List<WriteRequest> Presidential(DocumentReader read, string number, string title, IReadOnlyList<string>? topics, List<string> notes)
    {
        var subtype = read.Text("subtype", required: true);
        string id;
        string kind;
        switch (subtype)
        {
            case "Executive Order":
                var order = read.Number("executive_order_number");
                if (order is null)
                {
                    return read.Fail("an executive order needs executive_order_number");
                }

                (id, kind) = ($"us-eo-{order}", "executive-order");
                break;
            case "Proclamation":
                var proclamation = read.Number("proclamation_number");
                if (proclamation is null)
                {
                    return read.Fail("a proclamation needs proclamation_number");
                }

                if (read.Date("effective_on") is null)
                {
                    return read.Fail("a proclamation states its effective time in its text (e.g. 12:01 a.m. on a date), which the metadata does not carry; issue it by hand with that time");
                }

                (id, kind) = ($"us-proclamation-{proclamation}", "proclamation");
                break;
            case null:
                return [];
            default:
                return read.Fail($"presidential document subtype '{subtype}' is not imported: only executive orders and proclamations");
        }

        var signed = read.Date("signing_date", required: true);
        var stated = read.Date("effective_on");
        var body = Base(read, id, kind, title, stated ?? signed, topics);
        body["signedOn"] = signed;
        body["citation"] = Citation(read, number, kind == "executive-order" ? $"EO {read.Number("executive_order_number")}" : $"Proclamation {read.Number("proclamation_number")}");
        // An order takes effect on signing unless it says otherwise; the metadata does not say, so that is an inference.
        body["confidence"] = stated is null
            ? new JsonObject { ["level"] = "verified", ["fields"] = new JsonObject { ["effectiveAt"] = "unverified" } }
            : new JsonObject { ["level"] = "verified" };
        if (stated is null)
        {
            body["note"] = "Effective time taken as the signing date; the Federal Register metadata does not state it.";
        }

        var rescinds = new JsonArray();
        var supersedes = new JsonArray();
        var amends = new List<string>();
        foreach (var line in Dispositions(read))
        {
            var match = DispositionLine().Match(line);
            var orders = match.Success ? ExecutiveOrderReference().Matches(match.Groups[2].Value).Select(m => $"us-eo-{m.Groups[1].Value}").ToList() : [];
            switch (match.Success ? match.Groups[1].Value.ToLowerInvariant() : null)
            {
                case "revokes" when orders.Count > 0:
                    orders.ForEach(target => rescinds.Add(target));
                    break;
                case "supersedes" when orders.Count > 0:
                    orders.ForEach(target => supersedes.Add(target));
                    break;
                case "amends" when orders.Count > 0:
                    amends.AddRange(orders);
                    break;
                case "revoked by" or "superseded by" or "amended by" or "see":
                    notes.Add($"'{line.Trim()}': recorded by the other document when it is imported");
                    break;
                default:
                    notes.Add($"'{line.Trim()}': not a disposition Timeline records (only Revokes, Supersedes and Amends of executive orders)");
                    break;
            }
        }

        if (rescinds.Count > 0)
        {
            body["rescinds"] = rescinds;
        }

        if (supersedes.Count > 0)
        {
            body["supersedes"] = supersedes;
        }

        var writes = new List<WriteRequest> { new(WriteKind.Issue, id, body) };
        foreach (var target in amends.Distinct(StringComparer.Ordinal))
        {
            writes.Add(new WriteRequest(WriteKind.Amend, target, new JsonObject
            {
                ["effectiveAt"] = body["effectiveAt"]!.DeepClone(),
                ["byPolicyId"] = id,
                ["set"] = new JsonObject { [$"amended-by.{id}"] = body["citation"]!.DeepClone() },
                ["summary"] = $"Amended by {title} ({body["citation"]})",
                ["citation"] = body["citation"]!.DeepClone(),
                ["confidence"] = body["confidence"]!.DeepClone(),
            }));
        }

        return read.Errors.Count > 0 ? [] : writes;
    }

    private static IEnumerable<string> Dispositions(DocumentReader read) =>
        new[] { read.Text("executive_order_notes"), read.Text("disposition_notes") }
            .OfType<string>()
            .SelectMany(text => text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static JsonObject Base(DocumentReader read, string id, string kind, string title, string? effective, IReadOnlyList<string>? topics)
    {
        var agencies = read.Agencies();
        var topicList = (topics is { Count: > 0 } ? topics : agencies.Select(agency => AgencyTopics.GetValueOrDefault(agency.Slug)).OfType<string>())
            .DefaultIfEmpty("federal-register")
            .Distinct(StringComparer.Ordinal);
        var body = new JsonObject
        {
            ["id"] = id,
            ["kind"] = kind,
            ["title"] = title,
            ["jurisdiction"] = Jurisdiction,
            ["topics"] = new JsonArray([.. topicList.Select(topic => JsonValue.Create(topic))]),
            ["effectiveAt"] = effective,
            ["publishedOn"] = read.Date("publication_date", required: true),
            ["authority"] = agencies.Count == 0 ? null : string.Join(", ", agencies.Select(agency => agency.Name).Reverse()),
            ["sourceUrl"] = read.Text("html_url"),
        };
        RemoveNulls(body);
        return body;
    }

    private static string Citation(DocumentReader read, string number, string? prefix = null)
    {
        var parts = new List<string>();
        if (prefix is not null)
        {
            parts.Add(prefix);
        }

        if (read.Text("citation") is { } citation)
        {
            parts.Add(citation);
        }

        parts.Add($"FR Doc. {number}");
        var rins = read.Strings("regulation_id_numbers");
        if (rins.Count > 0)
        {
            parts.Add("RIN " + string.Join(", ", rins));
        }

        return string.Join("; ", parts);
    }

    private static void RemoveNulls(JsonObject body)
    {
        foreach (var name in body.Where(member => member.Value is null).Select(member => member.Key).ToList())
        {
            body.Remove(name);
        }
    }

    private static ImportPlan Failed(string source, string? number, string error) => new(source, number, [], [error], []);

    /// <summary>Reads fields of one document, collecting what is missing or of the wrong type.</summary>
    private sealed class DocumentReader(JsonObject document)
    {
        public List<string> Errors { get; } = [];

        public List<WriteRequest> Fail(string error)
        {
            Errors.Add(error);
            return [];
        }

        public string? Text(string field, bool required = false)
        {
            var node = document[field];
            if (node is null || (node is JsonValue blank && blank.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(blank.GetValue<string>())))
            {
                if (required)
                {
                    Errors.Add($"{field} is missing");
                }

                return null;
            }

            if (node.GetValueKind() != JsonValueKind.String)
            {
                Errors.Add($"{field} must be a string, not {node.GetValueKind()}");
                return null;
            }

            return node.GetValue<string>().Trim();
        }

        public string? Date(string field, bool required = false)
        {
            var text = Text(field, required);
            if (text is null)
            {
                return null;
            }

            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                Errors.Add($"{field} '{text}' is not a date such as 2025-01-31");
                return null;
            }

            return text;
        }

        /// <summary>A document number field, which the API gives as a number or a string.</summary>
        public string? Number(string field)
        {
            var node = document[field];
            var text = node?.GetValueKind() switch
            {
                JsonValueKind.Number => node.ToJsonString(),
                JsonValueKind.String => node.GetValue<string>().Trim(),
                _ => null,
            };
            if (text is not null && !text.All(char.IsAsciiDigit))
            {
                Errors.Add($"{field} '{text}' is not a number");
                return null;
            }

            return string.IsNullOrEmpty(text) ? null : text;
        }

        public IReadOnlyList<string> Strings(string field) =>
            document[field] is JsonArray items
                ? [.. items.Where(item => item?.GetValueKind() == JsonValueKind.String).Select(item => item!.GetValue<string>())]
                : [];

        public IReadOnlyList<(string Name, string Slug)> Agencies() =>
            document["agencies"] is JsonArray agencies
                ? [.. agencies.OfType<JsonObject>()
                    .Select(agency => (Name: agency["name"]?.GetValueKind() == JsonValueKind.String ? agency["name"]!.GetValue<string>() : agency["raw_name"]?.ToString(),
                        Slug: agency["slug"]?.GetValueKind() == JsonValueKind.String ? agency["slug"]!.GetValue<string>() : string.Empty))
                    .Where(agency => agency.Name is not null)
                    .Select(agency => (agency.Name!, agency.Slug))]
                : [];
    }
}
