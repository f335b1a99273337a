using Npgsql;
using Timeline.Api.ReadModel;
using Timeline.Api.Writing;
using Timeline.Dataset.Format;
using Timeline.Dataset.Loading;

namespace Timeline.Api.Dataset;

/// <summary>
/// Writes the dataset in process, through <see cref="PolicyWriter"/> with the commands the endpoints make, as
/// the caller <see cref="RecordedBy"/>, each entry with its marker as correlation id and idempotency key.
/// </summary>
public sealed class WriterDatasetTarget(PolicyWriter writer, NpgsqlDataSource dataSource, ReadModelTables tables) : IDatasetTarget
{
    /// <summary>The recordedBy of the events the first-start load writes.</summary>
    public const string RecordedBy = "dataset";

    public async Task<IReadOnlySet<string>> RecordedMarkersAsync(IReadOnlyCollection<string> policyIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policyIds);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"select distinct correlation_id from {tables.Schema}.mt_events where stream_id = any(@ids) and correlation_id like @prefix",
            connection);
        command.Parameters.AddWithValue("ids", policyIds.ToArray());
        command.Parameters.AddWithValue("prefix", DatasetEntry.MarkerPrefix + "%");
        var markers = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            markers.Add(reader.GetString(0));
        }

        return markers;
    }

    public async Task<EntryWrite> WriteAsync(DatasetEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var body = entry.Write.BindBody();
        var fingerprint = WriteEndpoint.Fingerprint(HttpMethods.Post, entry.Write.Path, body);
        var conditions = new WriteConditions(RecordedBy, entry.Marker, entry.Marker, Idempotency: new IdempotencyKey(entry.Marker, fingerprint));
        var outcome = await writer.WriteAsync(entry.Write.ToCommand(), conditions, cancellationToken);
        return outcome.Rejection is { } rejection
            ? new EntryWrite(0, Problem: Rehearsal.Describe(rejection))
            : new EntryWrite(outcome.Result!.EventIds.Count, outcome.Replayed);
    }

    /// <summary>Whether the store holds anything the dataset did not write: then the first-start load leaves it alone.</summary>
    public async Task<bool> HoldsOtherEventsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"select exists (select 1 from {tables.Schema}.mt_events where correlation_id is null or correlation_id not like @prefix)",
            connection);
        command.Parameters.AddWithValue("prefix", DatasetEntry.MarkerPrefix + "%");
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
