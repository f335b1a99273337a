using Timeline.Dataset.Loading;
using Timeline.Dataset.Requests;

namespace Timeline.Dataset.FederalRegister;

public enum ImportOutcome
{
    /// <summary>Recorded now.</summary>
    Imported,

    /// <summary>Already in the record (imported before, or loaded with the curated dataset): nothing written.</summary>
    AlreadyRecorded,

    /// <summary>Not imported, and nothing of it written.</summary>
    Failed,
}

/// <summary>One document's outcome.</summary>
public sealed record ImportResult(ImportPlan Plan, ImportOutcome Outcome, int Events, IReadOnlyList<string> Messages);

/// <summary>
/// Applies import plans through the HTTP API, one document at a time and idempotent by document number:
/// a document whose instrument is recorded, or whose correction is already in the corrected rule's
/// history, writes nothing; one that names an instrument the record lacks writes nothing and says which.
/// </summary>
public static class FederalRegisterImport
{
    public static async Task<IReadOnlyList<ImportResult>> ApplyAsync(
        IEnumerable<ImportPlan> plans, TimelineHttpClient client, Action<ImportResult>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(client);
        var results = new List<ImportResult>();
        foreach (var plan in plans)
        {
            var result = await ApplyAsync(plan, client, cancellationToken);
            results.Add(result);
            progress?.Invoke(result);
        }

        return results;
    }

    private static async Task<ImportResult> ApplyAsync(ImportPlan plan, TimelineHttpClient client, CancellationToken cancellationToken)
    {
        if (!plan.CanImport)
        {
            return new ImportResult(plan, ImportOutcome.Failed, 0, plan.Errors.Count > 0 ? plan.Errors : ["nothing to import"]);
        }

        var home = plan.Writes[0];
        var homeHistory = await client.HistoryAsync(home.PolicyId, cancellationToken);
        if (home.Kind == WriteKind.Issue && homeHistory is not null)
        {
            var imported = homeHistory.Any(e => e.CorrelationId == plan.Marker);
            return new ImportResult(plan, ImportOutcome.AlreadyRecorded, 0,
                [imported ? $"already imported as '{home.PolicyId}'" : $"'{home.PolicyId}' is already recorded (by the curated dataset or by hand); nothing written"]);
        }

        if (home.Kind != WriteKind.Issue && homeHistory?.Any(e => e.CorrelationId == plan.Marker || e.Citation?.Contains($"FR Doc. {plan.DocumentNumber}", StringComparison.Ordinal) == true) == true)
        {
            return new ImportResult(plan, ImportOutcome.AlreadyRecorded, 0, [$"already recorded in the history of '{home.PolicyId}'"]);
        }

        var missing = new List<string>();
        foreach (var prerequisite in plan.Prerequisites)
        {
            if (await client.HistoryAsync(prerequisite, cancellationToken) is null)
            {
                missing.Add($"it names '{prerequisite}', which is not recorded: import or load that first");
            }
        }

        if (missing.Count > 0)
        {
            return new ImportResult(plan, ImportOutcome.Failed, 0, missing);
        }

        var events = 0;
        for (var i = 0; i < plan.Writes.Count; i++)
        {
            var write = plan.Writes[i];
            var answer = await client.PostAsync(write, $"{plan.Marker}/{i + 1}", plan.Marker, cancellationToken);
            if (!answer.Succeeded)
            {
                // Every write after the first amends another order; the checks above make a refusal there unlikely,
                // and a second run writes only what is missing (the idempotency keys replay the rest).
                var written = i == 0 ? "nothing written" : $"the first {i} of {plan.Writes.Count} writes were recorded; run the import again to finish";
                return new ImportResult(plan, ImportOutcome.Failed, events, [$"{write.KindName} {write.PolicyId} refused: {answer.Problem}; {written}"]);
            }

            events += answer.EventCount;
        }

        return new ImportResult(plan, ImportOutcome.Imported, events, [$"recorded as '{home.PolicyId}'"]);
    }
}
