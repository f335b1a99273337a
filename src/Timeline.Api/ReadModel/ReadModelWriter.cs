using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;
using Timeline.Domain.Timelines;

namespace Timeline.Api.ReadModel;

/// <summary>
/// Turns the differences between successive timelines of instruments into row changes, gathered over a whole page
/// of events (an append's transaction, or a page of a rebuild), then queued as at most four set-based statements
/// in that transaction, whatever the number of rows: a row per statement made every append and rebuild pay a
/// database round trip per row. A row opened and closed within the page is inserted closed.
/// </summary>
internal sealed class ReadModelWriter(ReadModelTables tables)
{
    private readonly string _closeVersions =
        $"update {tables.Versions.Identifier.QualifiedName} v set recorded_to = c.recorded_to " +
        "from jsonb_to_recordset(?::jsonb) as c(policy_id text, valid_from timestamptz, recorded_to timestamptz) " +
        "where v.policy_id = c.policy_id and v.recorded_to is null and v.valid_from is not distinct from c.valid_from";

    private readonly string _insertVersions =
        $"insert into {tables.Versions.Identifier.QualifiedName} (policy_id, valid_from, valid_to, recorded_from, recorded_to, status, kind, jurisdiction, topics, state) " +
        "select policy_id, valid_from, valid_to, recorded_from, recorded_to, status, kind, jurisdiction, topics, state " +
        "from jsonb_to_recordset(?::jsonb) as r(policy_id text, valid_from timestamptz, valid_to timestamptz, recorded_from timestamptz, recorded_to timestamptz, " +
        "status text, kind text, jurisdiction text, topics text[], state jsonb)";

    private readonly string _closeChanges =
        $"update {tables.Changes.Identifier.QualifiedName} c set recorded_to = x.recorded_to " +
        "from jsonb_to_recordset(?::jsonb) as x(policy_id text, change_key text, recorded_to timestamptz) " +
        "where c.policy_id = x.policy_id and c.change_key = x.change_key and c.recorded_to is null";

    private readonly string _insertChanges =
        $"insert into {tables.Changes.Identifier.QualifiedName} (policy_id, change_key, event_id, version, type, effective_at, recorded_from, recorded_to, summary, citation, source_url, kind, jurisdiction, topics, title) " +
        "select policy_id, change_key, event_id, version, type, effective_at, recorded_from, recorded_to, summary, citation, source_url, kind, jurisdiction, topics, title " +
        "from jsonb_to_recordset(?::jsonb) as r(policy_id text, change_key text, event_id uuid, version bigint, type text, effective_at timestamptz, recorded_from timestamptz, " +
        "recorded_to timestamptz, summary text, citation text, source_url text, kind text, jurisdiction text, topics text[], title text)";

    /// <summary>Row changes of one page, written by <see cref="Flush"/>.</summary>
    public static RowChanges Begin() => new();

    public void Flush(IDocumentOperations operations, RowChanges rows)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(rows);
        // Closes first: they touch only rows stored before the page, never the ones inserted here.
        Queue(operations, _closeVersions, rows.ClosedVersions);
        Queue(operations, _closeChanges, rows.ClosedChanges);
        Queue(operations, _insertVersions, rows.InsertedVersions.Select(r => r.Json));
        Queue(operations, _insertChanges, rows.InsertedChanges.Select(r => r.Json));
    }

    private static void Queue(IDocumentOperations operations, string sql, IEnumerable<JsonObject> rows)
    {
        var array = new JsonArray([.. rows]);
        if (array.Count > 0)
        {
            operations.QueueSqlCommand(sql, array.ToJsonString());
        }
    }

    public static void Write(RowChanges rows, string policyId, PolicyTimeline? before, PolicyTimeline? after, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var oldSegments = before?.Segments ?? [];
        var newSegments = after?.Segments ?? [];
        foreach (var segment in oldSegments.Except(newSegments))
        {
            rows.CloseVersion(policyId, segment.ValidFrom, recordedAt);
        }

        foreach (var segment in newSegments.Except(oldSegments))
        {
            var state = segment.Snapshot.State;
            rows.InsertVersion(policyId, segment.ValidFrom, new JsonObject
            {
                ["policy_id"] = policyId,
                ["valid_from"] = Instant(segment.ValidFrom),
                ["valid_to"] = Instant(segment.ValidTo),
                ["recorded_from"] = Instant(recordedAt),
                ["recorded_to"] = null,
                ["status"] = StatusName(segment.Snapshot.Status),
                ["kind"] = JsonNamingPolicy.KebabCaseLower.ConvertName(state.Kind.ToString()),
                ["jurisdiction"] = state.Jurisdiction,
                ["topics"] = new JsonArray([.. state.Topics.Select(t => (JsonNode)t)]),
                ["state"] = JsonSerializer.SerializeToNode(state, PolicyJson.Options),
            });
        }

        var oldChanges = ChangeRows(before);
        var newChanges = ChangeRows(after);
        foreach (var row in oldChanges.Except(newChanges))
        {
            rows.CloseChange(policyId, row.Key, recordedAt);
        }

        foreach (var row in newChanges.Except(oldChanges))
        {
            var change = row.Change;
            rows.InsertChange(policyId, row.Key, new JsonObject
            {
                ["policy_id"] = policyId,
                ["change_key"] = row.Key,
                ["event_id"] = change.EventId?.ToString(),
                ["version"] = change.Version,
                ["type"] = change.Type,
                ["effective_at"] = Instant(change.EffectiveAt),
                ["recorded_from"] = Instant(recordedAt),
                ["recorded_to"] = null,
                ["summary"] = change.Summary,
                ["citation"] = change.Citation,
                ["source_url"] = change.SourceUrl,
                ["kind"] = JsonNamingPolicy.KebabCaseLower.ConvertName(row.Instrument.Kind.ToString()),
                ["jurisdiction"] = row.Instrument.Jurisdiction,
                ["topics"] = new JsonArray([.. row.Instrument.Topics.Select(t => (JsonNode)t)]),
                ["title"] = row.Instrument.Title,
            });
        }
    }

    public static string StatusName(PolicyStatus status) => JsonNamingPolicy.KebabCaseLower.ConvertName(status.ToString());

    private static string? Instant(DateTimeOffset? value) => value is { } instant ? Instants.Format(instant) : null;

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

/// <summary>
/// The row changes of one page: rows inserted (closed already when the page also closed them) and rows stored
/// before the page that the page closes.
/// </summary>
internal sealed class RowChanges
{
    private readonly Dictionary<(string PolicyId, DateTimeOffset? ValidFrom), JsonObject> _openVersions = [];
    private readonly Dictionary<(string PolicyId, string Key), JsonObject> _openChanges = [];

    public List<(JsonObject Json, string PolicyId)> InsertedVersions { get; } = [];

    public List<(JsonObject Json, string PolicyId)> InsertedChanges { get; } = [];

    public List<JsonObject> ClosedVersions { get; } = [];

    public List<JsonObject> ClosedChanges { get; } = [];

    public void InsertVersion(string policyId, DateTimeOffset? validFrom, JsonObject row)
    {
        _openVersions[(policyId, validFrom)] = row;
        InsertedVersions.Add((row, policyId));
    }

    public void CloseVersion(string policyId, DateTimeOffset? validFrom, DateTimeOffset recordedAt)
    {
        if (_openVersions.Remove((policyId, validFrom), out var inserted))
        {
            inserted["recorded_to"] = Instants.Format(recordedAt);
            return;
        }

        ClosedVersions.Add(new JsonObject
        {
            ["policy_id"] = policyId,
            ["valid_from"] = validFrom is { } from ? Instants.Format(from) : null,
            ["recorded_to"] = Instants.Format(recordedAt),
        });
    }

    public void InsertChange(string policyId, string key, JsonObject row)
    {
        _openChanges[(policyId, key)] = row;
        InsertedChanges.Add((row, policyId));
    }

    public void CloseChange(string policyId, string key, DateTimeOffset recordedAt)
    {
        if (_openChanges.Remove((policyId, key), out var inserted))
        {
            inserted["recorded_to"] = Instants.Format(recordedAt);
            return;
        }

        ClosedChanges.Add(new JsonObject { ["policy_id"] = policyId, ["change_key"] = key, ["recorded_to"] = Instants.Format(recordedAt) });
    }
}
