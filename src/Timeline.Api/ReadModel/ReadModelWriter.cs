using System.Text.Json;
using Marten;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;
using Timeline.Domain.Timelines;

namespace Timeline.Api.ReadModel;

/// <summary>Turns the difference between two timelines of one instrument into row updates, queued in the append's transaction.</summary>
internal sealed class ReadModelWriter(ReadModelTables tables)
{
    private readonly string _closeVersion =
        $"update {tables.Versions.Identifier.QualifiedName} set recorded_to = ? where policy_id = ? and recorded_to is null and valid_from is not distinct from ?::timestamptz";

    private readonly string _insertVersion =
        $"insert into {tables.Versions.Identifier.QualifiedName} (policy_id, valid_from, valid_to, recorded_from, status, kind, jurisdiction, topics, state) " +
        "values (?, ?::timestamptz, ?::timestamptz, ?, ?, ?, ?, ?::text[], ?::jsonb)";

    private readonly string _closeChange =
        $"update {tables.Changes.Identifier.QualifiedName} set recorded_to = ? where policy_id = ? and change_key = ? and recorded_to is null";

    private readonly string _insertChange =
        $"insert into {tables.Changes.Identifier.QualifiedName} (policy_id, change_key, event_id, version, type, effective_at, recorded_from, summary, citation, source_url, kind, jurisdiction, topics, title) " +
        "values (?, ?, ?::uuid, ?::bigint, ?, ?, ?, ?, ?::text, ?::text, ?, ?, ?::text[], ?)";

    public void Write(IDocumentOperations operations, string policyId, PolicyTimeline? before, PolicyTimeline? after, DateTimeOffset recordedAt)
    {
        var oldSegments = before?.Segments ?? [];
        var newSegments = after?.Segments ?? [];
        foreach (var segment in oldSegments.Except(newSegments))
        {
            operations.QueueSqlCommand(_closeVersion, recordedAt, policyId, (object?)segment.ValidFrom ?? DBNull.Value);
        }

        foreach (var segment in newSegments.Except(oldSegments))
        {
            var state = segment.Snapshot.State;
            operations.QueueSqlCommand(
                _insertVersion,
                policyId,
                (object?)segment.ValidFrom ?? DBNull.Value,
                (object?)segment.ValidTo ?? DBNull.Value,
                recordedAt,
                StatusName(segment.Snapshot.Status),
                JsonNamingPolicy.KebabCaseLower.ConvertName(state.Kind.ToString()),
                state.Jurisdiction,
                state.Topics.ToArray(),
                JsonSerializer.Serialize(state, PolicyJson.Options));
        }

        var oldChanges = ChangeRows(before);
        var newChanges = ChangeRows(after);
        foreach (var row in oldChanges.Except(newChanges))
        {
            operations.QueueSqlCommand(_closeChange, recordedAt, policyId, row.Key);
        }

        foreach (var row in newChanges.Except(oldChanges))
        {
            var change = row.Change;
            operations.QueueSqlCommand(
                _insertChange,
                policyId,
                row.Key,
                (object?)change.EventId ?? DBNull.Value,
                (object?)change.Version ?? DBNull.Value,
                change.Type,
                change.EffectiveAt,
                recordedAt,
                change.Summary,
                (object?)change.Citation ?? DBNull.Value,
                (object?)change.SourceUrl ?? DBNull.Value,
                JsonNamingPolicy.KebabCaseLower.ConvertName(row.Instrument.Kind.ToString()),
                row.Instrument.Jurisdiction,
                row.Instrument.Topics.ToArray(),
                row.Instrument.Title);
        }
    }

    public static string StatusName(PolicyStatus status) => JsonNamingPolicy.KebabCaseLower.ConvertName(status.ToString());

    private static List<ChangeRow> ChangeRows(PolicyTimeline? timeline) =>
        timeline is null
            ? []
            : timeline.Changes.Select(change => new ChangeRow(change, new InstrumentFacts(timeline.Instrument))).ToList();

    /// <summary>The instrument fields a change row repeats for filtering; a correction of them re-records the rows.</summary>
    private sealed record InstrumentFacts(PolicyKind Kind, string Jurisdiction, EquatableArray<string> Topics, string Title)
    {
        public InstrumentFacts(PolicyState instrument)
            : this(instrument.Kind, instrument.Jurisdiction, instrument.Topics, instrument.Title)
        {
        }
    }

    private sealed record ChangeRow(PolicyChange Change, InstrumentFacts Instrument)
    {
        public string Key => Change.EventId?.ToString() ?? $"expiry:{Instants.Format(Change.EffectiveAt)}";
    }
}
