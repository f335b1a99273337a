using Timeline.Dataset.Format;

namespace Timeline.Dataset.Loading;

/// <summary>Writes the dataset through the service's HTTP API, as <c>timeline dataset load</c> does.</summary>
public sealed class HttpDatasetTarget(TimelineHttpClient client) : IDatasetTarget
{
    public async Task<IReadOnlySet<string>> RecordedMarkersAsync(IReadOnlyCollection<string> policyIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policyIds);
        var markers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var policyId in policyIds)
        {
            foreach (var recorded in await client.HistoryAsync(policyId, cancellationToken) ?? [])
            {
                if (recorded.CorrelationId?.StartsWith(DatasetEntry.MarkerPrefix, StringComparison.Ordinal) == true)
                {
                    markers.Add(recorded.CorrelationId);
                }
            }
        }

        return markers;
    }

    public async Task<EntryWrite> WriteAsync(DatasetEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var answer = await client.PostAsync(entry.Write, entry.Marker, entry.Marker, cancellationToken);
        return new EntryWrite(answer.EventCount, answer.Replayed, answer.Problem);
    }
}
