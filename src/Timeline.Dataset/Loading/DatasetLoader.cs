using Timeline.Dataset.Format;

namespace Timeline.Dataset.Loading;

/// <summary>Where the dataset is written: the service's write path in process, or its HTTP API.</summary>
public interface IDatasetTarget
{
    /// <summary>The dataset markers (correlation ids) recorded in the streams of these instruments.</summary>
    Task<IReadOnlySet<string>> RecordedMarkersAsync(IReadOnlyCollection<string> policyIds, CancellationToken cancellationToken);

    /// <summary>Writes one entry with its marker as correlation id and idempotency key.</summary>
    Task<EntryWrite> WriteAsync(DatasetEntry entry, CancellationToken cancellationToken);
}

/// <summary>What writing one entry did: how many events it recorded, or why it was refused.</summary>
public sealed record EntryWrite(int Events, bool Replayed = false, string? Problem = null);

public enum LoadOutcome
{
    /// <summary>Written now.</summary>
    Written,

    /// <summary>The store already holds this entry as it reads now: nothing written.</summary>
    AlreadyLoaded,

    /// <summary>The store holds an earlier form of this entry: nothing written; correct the record instead.</summary>
    Changed,

    /// <summary>Refused by the service: the load stops here.</summary>
    Failed,
}

/// <summary>One entry's outcome, for progress lines.</summary>
public sealed record LoadStep(int Number, int Total, DatasetEntry Entry, LoadOutcome Outcome, int Events = 0, string? Detail = null);

/// <summary>What a load did. <see cref="Refused"/> lists the rehearsal's problems when nothing was written for them.</summary>
public sealed record LoadReport(IReadOnlyList<LoadStep> Steps, IReadOnlyList<EntryProblem> Refused)
{
    public int Written => Steps.Count(step => step.Outcome == LoadOutcome.Written);

    public int EventsWritten => Steps.Sum(step => step.Events);

    public int AlreadyLoaded => Steps.Count(step => step.Outcome == LoadOutcome.AlreadyLoaded);

    public IEnumerable<LoadStep> Changed => Steps.Where(step => step.Outcome == LoadOutcome.Changed);

    public LoadStep? Failure => Steps.FirstOrDefault(step => step.Outcome == LoadOutcome.Failed);

    public bool Succeeded => Refused.Count == 0 && Failure is null;
}

/// <summary>
/// Loads the curated dataset through a target: rehearse it in memory (a refusal there writes nothing at all),
/// ask which entries the store already holds (by their markers), and write the others in order, stopping at
/// the first the service refuses. Loading twice writes nothing twice, whoever loaded it first.
/// </summary>
public static class DatasetLoader
{
    public static async Task<LoadReport> LoadAsync(
        CuratedDataset dataset, IDatasetTarget target, Action<LoadStep>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(target);
        var rehearsal = Rehearsal.Run(dataset.Entries);
        if (rehearsal.Problems.Count > 0)
        {
            return new LoadReport([], rehearsal.Problems);
        }

        var instruments = dataset.Entries.Select(entry => entry.Write.PolicyId).Distinct(StringComparer.Ordinal).ToList();
        var recorded = await target.RecordedMarkersAsync(instruments, cancellationToken);
        var recordedIds = recorded.Select(DatasetEntry.ParseMarker).OfType<(string Id, string Fingerprint)>()
            .Select(marker => marker.Id).ToHashSet(StringComparer.Ordinal);

        var steps = new List<LoadStep>();
        var total = dataset.Entries.Count;
        foreach (var (entry, index) in dataset.Entries.Select((entry, index) => (entry, index)))
        {
            LoadStep step;
            if (recorded.Contains(entry.Marker))
            {
                step = new LoadStep(index + 1, total, entry, LoadOutcome.AlreadyLoaded);
            }
            else if (recordedIds.Contains(entry.Id))
            {
                step = new LoadStep(index + 1, total, entry, LoadOutcome.Changed, Detail:
                    "the store holds an earlier form of this entry; record the difference as a correction");
            }
            else
            {
                var write = await target.WriteAsync(entry, cancellationToken);
                step = write.Problem is null
                    ? new LoadStep(index + 1, total, entry, write.Replayed ? LoadOutcome.AlreadyLoaded : LoadOutcome.Written, write.Replayed ? 0 : write.Events)
                    : new LoadStep(index + 1, total, entry, LoadOutcome.Failed, Detail: write.Problem);
            }

            steps.Add(step);
            progress?.Invoke(step);
            if (step.Outcome == LoadOutcome.Failed)
            {
                break;
            }
        }

        return new LoadReport(steps, []);
    }
}
