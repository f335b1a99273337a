using System.Globalization;
using System.Text;
using NodaTime;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;

namespace Timeline.Dataset.Format;

/// <summary>
/// The instruments page (docs/dataset-instruments.md): one row per instrument, generated from the data
/// files through the rehearsal, so it says what loading the dataset records. Status is given on the
/// day the dataset was last reviewed, so the page changes only when the data does.
/// </summary>
public static class InstrumentTable
{
    public const string DefaultPath = "docs/dataset-instruments.md";

    /// <exception cref="InvalidOperationException">An entry would be refused; the page describes only a dataset that loads.</exception>
    public static string Markdown(CuratedDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var rehearsal = Rehearsal.Run(dataset.Entries);
        if (rehearsal.Problems.Count > 0)
        {
            throw new InvalidOperationException("The dataset does not load: " + string.Join("; ", rehearsal.Problems));
        }

        var zone = TimeZones.Get(TimeZones.DefaultZoneId);
        var on = TimeInput.Date(dataset.ReviewedOn).EndOfDayIn(zone);
        var reviewed = dataset.ReviewedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var issues = dataset.Entries.Where(entry => entry.Write.Kind == Requests.WriteKind.Issue).ToList();

        var page = new StringBuilder();
        page.AppendLine("# Instruments in the dataset")
            .AppendLine()
            .AppendLine("<!-- Generated from data/ by `dotnet run --project src/Timeline.Cli -- dataset table`; do not edit by hand. -->")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{dataset.Name}: {issues.Count} instruments and {rehearsal.EventCount} events from {dataset.Entries.Count} entries in `data/`")
            .AppendLine(CultureInfo.InvariantCulture, $"(format: [dataset-format.md](dataset-format.md)). Status is as the record stands on {reviewed}, the day the")
            .AppendLine("dataset was last reviewed against its sources. Effective times are the start of the day in America/New_York unless a")
            .AppendLine("time is given. Confidence is the instrument's level, then its fields sourced otherwise: verified (an official")
            .AppendLine("text or record), secondary (law-firm alerts, news, trackers), unverified (confirmed by no source read: treat as unknown).")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"| id | kind | effective | status on {reviewed} | citation | confidence |")
            .AppendLine("|---|---|---|---|---|---|");
        foreach (var issue in issues)
        {
            var history = rehearsal.HistoryOf(issue.Write.PolicyId);
            var snapshot = ReferenceFold.StateAt(history, on, DateTimeOffset.MaxValue)!;
            var issued = (PolicyIssued)history[0].Data;
            page.AppendLine(CultureInfo.InvariantCulture, $"| `{issued.PolicyId}` | {Kebab(issued.Kind)} | {Cell(Effective(history, snapshot.State, zone))} | {Cell(Status(snapshot))} | {Cell(issued.Citation ?? "(none)")} | {Cell(Describe(issued.Confidence))} |");
        }

        return page.ToString();
    }

    /// <summary>The effective times of the instrument's events, and its expiry; a time every event of which is unverified says so.</summary>
    private static string Effective(IReadOnlyList<RecordedEvent> history, PolicyState state, DateTimeZone zone)
    {
        var times = history
            .Select(recorded => recorded.Data)
            .OfType<IEffectiveEvent>()
            .GroupBy(effective => Format(effective.EffectiveAt, zone))
            .OrderBy(group => group.First().EffectiveAt)
            .Select(group => group.Key + (group.All(e => e.Confidence?.Of("effectiveAt") == ConfidenceLevel.Unverified) ? " (unverified)" : string.Empty))
            .ToList();
        if (state.ExpiresAt is { } expiry)
        {
            times.Add($"expires {Format(expiry, zone)}" + (state.Confidence?.Of("expiresAt") == ConfidenceLevel.Unverified ? " (unverified)" : string.Empty));
        }

        return string.Join(", ", times);
    }

    private static string Format(DateTimeOffset instant, DateTimeZone zone)
    {
        var local = Instant.FromDateTimeOffset(instant).InZone(zone);
        return local.TimeOfDay == LocalTime.Midnight
            ? local.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : local.ToOffsetDateTime().ToString("yyyy-MM-dd'T'HH:mmo<+HH:mm>", CultureInfo.InvariantCulture);
    }

    private static string Status(PolicySnapshot snapshot)
    {
        var state = snapshot.State;
        var status = Kebab(snapshot.Status);
        var by = state.RescindedBy ?? state.SupersededBy;
        var text = snapshot.Status switch
        {
            PolicyStatus.Rescinded or PolicyStatus.Superseded when by is not null => $"{status} by `{by}`",
            PolicyStatus.Suspended => $"{status} ({FirstClause(state.SuspensionReason)})",
            _ => status,
        };
        var doubt = snapshot.Status == PolicyStatus.Expired ? state.Confidence?.Of("expiresAt") : state.Confidence?.Fields.GetValueOrDefault("status");
        return doubt == ConfidenceLevel.Unverified ? text + " (unverified)" : text;
    }

    private static string FirstClause(string? text) =>
        text is null ? "no reason recorded" : text.Split([':', '.'], 2)[0].Trim();

    private static string Describe(Confidence? confidence)
    {
        if (confidence is null)
        {
            return "not stated";
        }

        var parts = new List<string> { Confidence.Name(confidence.Level) };
        foreach (var level in new[] { ConfidenceLevel.Secondary, ConfidenceLevel.Unverified, ConfidenceLevel.Verified })
        {
            var fields = confidence.Fields.Where(field => field.Value == level).Select(field => field.Key).ToList();
            if (fields.Count > 0 && level != confidence.Level)
            {
                parts.Add($"{Confidence.Name(level)}: {string.Join(", ", fields)}");
            }
        }

        return string.Join("; ", parts);
    }

    private static string Kebab<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
