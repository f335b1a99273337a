using System.Collections.Frozen;
using System.Text.Json;
using Marten;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;
using Timeline.Domain.Timelines;

namespace Timeline.Api.ReadModel;

/// <summary>
/// Turns the differences between successive timelines of instruments into row changes, gathered over a whole page
/// of events (an append's transaction, or whole streams in a rebuild). An append queues them as at most four
/// set-based statements in its transaction, whatever the number of rows (a row per statement made every append pay a
/// database round trip per row; the instrument's topics go to <c>policy_topics</c>); a rebuild copies them (<see cref="ReadModelCopy"/>). A row opened and closed within
/// the page is inserted closed.
/// </summary>
internal sealed class ReadModelWriter(ReadModelTables tables)
{
    private readonly string _closeVersions =
        $"update {tables.Versions.Identifier.QualifiedName} v set recorded_to = c.recorded_to " +
        "from json_to_recordset(?::json) as c(policy_id text, valid_from timestamptz, recorded_to timestamptz) " +
        "where v.policy_id = c.policy_id and v.recorded_to is null and v.valid_from is not distinct from c.valid_from";

    private readonly string _insertVersions =
        $"insert into {tables.Versions.Identifier.QualifiedName} (policy_id, valid_from, valid_to, recorded_from, recorded_to, status, kind, jurisdiction, topics, state) " +
        "select policy_id, valid_from, valid_to, recorded_from, recorded_to, status, kind, jurisdiction, topics, state " +
        "from json_to_recordset(?::json) as r(policy_id text, valid_from timestamptz, valid_to timestamptz, recorded_from timestamptz, recorded_to timestamptz, " +
        "status text, kind text, jurisdiction text, topics text[], state json)";

    private readonly string _closeChanges =
        $"update {tables.Changes.Identifier.QualifiedName} c set recorded_to = x.recorded_to " +
        "from json_to_recordset(?::json) as x(policy_id text, change_key text, recorded_to timestamptz) " +
        "where c.policy_id = x.policy_id and c.change_key = x.change_key and c.recorded_to is null";

    private readonly string _insertChanges =
        $"insert into {tables.Changes.Identifier.QualifiedName} (policy_id, change_key, event_id, version, type, effective_at, recorded_from, recorded_to, summary, citation, source_url, kind, jurisdiction, topics, title) " +
        "select policy_id, change_key, event_id, version, type, effective_at, recorded_from, recorded_to, summary, citation, source_url, kind, jurisdiction, topics, title " +
        "from json_to_recordset(?::json) as r(policy_id text, change_key text, event_id uuid, version bigint, type text, effective_at timestamptz, recorded_from timestamptz, " +
        "recorded_to timestamptz, summary text, citation text, source_url text, kind text, jurisdiction text, topics text[], title text)";

    private readonly string _insertTopics =
        $"insert into {tables.Topics.Identifier.QualifiedName} (topic, policy_id) " +
        "select topic, policy_id from json_to_recordset(?::json) as t(topic text, policy_id text) on conflict do nothing";

    /// <summary>Row changes of one page, written by <see cref="Flush"/>.</summary>
    public static RowChanges Begin() => new();

    public void Flush(IDocumentOperations operations, RowChanges rows)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(rows);
        // Closes first: they touch only rows stored before the page, never the ones inserted here.
        Queue(operations, _closeVersions, rows.ClosedVersions, (json, row) =>
        {
            json.WriteString("policy_id", row.PolicyId);
            json.WriteString("valid_from", RowChanges.Instant(row.ValidFrom));
            json.WriteString("recorded_to", RowChanges.Instant(row.RecordedTo));
        });
        Queue(operations, _closeChanges, rows.ClosedChanges, (json, row) =>
        {
            json.WriteString("policy_id", row.PolicyId);
            json.WriteString("change_key", row.ChangeKey);
            json.WriteString("recorded_to", RowChanges.Instant(row.RecordedTo));
        });
        Queue(operations, _insertVersions, rows.InsertedVersions, (json, row) =>
        {
            json.WriteString("policy_id", row.PolicyId);
            json.WriteString("valid_from", RowChanges.Instant(row.ValidFrom));
            json.WriteString("valid_to", RowChanges.Instant(row.ValidTo));
            json.WriteString("recorded_from", RowChanges.Instant(row.RecordedFrom));
            json.WriteString("recorded_to", RowChanges.Instant(row.RecordedTo));
            json.WriteString("status", row.Status);
            json.WriteString("kind", row.Kind);
            json.WriteString("jurisdiction", row.Jurisdiction);
            WriteArray(json, "topics", row.Topics);
            json.WritePropertyName("state");
            json.WriteRawValue(row.State, skipInputValidation: true);
        });
        Queue(operations, _insertChanges, rows.InsertedChanges, (json, row) =>
        {
            json.WriteString("policy_id", row.PolicyId);
            json.WriteString("change_key", row.ChangeKey);
            json.WriteString("event_id", row.EventId?.ToString());
            if (row.Version is { } version)
            {
                json.WriteNumber("version", version);
            }

            json.WriteString("type", row.Type);
            json.WriteString("effective_at", RowChanges.Instant(row.EffectiveAt));
            json.WriteString("recorded_from", RowChanges.Instant(row.RecordedFrom));
            json.WriteString("recorded_to", RowChanges.Instant(row.RecordedTo));
            json.WriteString("summary", row.Summary);
            json.WriteString("citation", row.Citation);
            json.WriteString("source_url", row.SourceUrl);
            json.WriteString("kind", row.Kind);
            json.WriteString("jurisdiction", row.Jurisdiction);
            WriteArray(json, "topics", row.Topics);
            json.WriteString("title", row.Title);
        });
        Queue(operations, _insertTopics, rows.Topics, (json, pair) =>
        {
            json.WriteString("topic", pair.Topic);
            json.WriteString("policy_id", pair.PolicyId);
        });
    }

    private static void Queue<T>(IDocumentOperations operations, string sql, ICollection<T> rows, Action<Utf8JsonWriter, T> write)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartObject();
                write(json, row);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        operations.QueueSqlCommand(sql, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void WriteArray(Utf8JsonWriter json, string name, string[] values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    /// <summary>
    /// The rows of one stream for the record times <paramref name="recordTimes"/> (ascending) at which it grew: at each,
    /// the timeline as of then against the one as of the record time before. <paramref name="history"/> holds the
    /// stream's events up to the last of them, in version order.
    /// </summary>
    public static void WriteStream(RowChanges rows, string policyId, IReadOnlyList<RecordedEvent> history, IEnumerable<DateTimeOffset> recordTimes)
    {
        PolicyTimeline? previous = null;
        DateTimeOffset? previousAt = null;
        var states = new StateJson();
        var timelines = new SuccessiveTimelines();
        foreach (var recordedAt in recordTimes)
        {
            DateTimeOffset? earlier = null;
            foreach (var e in history)
            {
                if (e.RecordedAt < recordedAt && (earlier is null || e.RecordedAt > earlier))
                {
                    earlier = e.RecordedAt;
                }
            }

            // The timeline after the previous record time is the one before this one: built once, not twice.
            var before = earlier is null ? null : earlier == previousAt ? previous : timelines.Build(history, earlier.Value);
            var after = timelines.Build(history, recordedAt);
            Write(rows, policyId, before, after, recordedAt, states);
            (previous, previousAt) = (after, recordedAt);
        }
    }

    /// <summary>
    /// The rows that change from timeline <paramref name="before"/> to <paramref name="after"/> at <paramref name="recordedAt"/>:
    /// a version row is keyed by its effective start and a change row by its change key, so a row is closed, and its
    /// successor inserted, exactly when what it holds differs. Rows are matched by key first and compared only then:
    /// hashing whole states to diff the two timelines was most of the cost of a rebuild.
    /// </summary>
    public static void Write(RowChanges rows, string policyId, PolicyTimeline? before, PolicyTimeline? after, DateTimeOffset recordedAt, StateJson states)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var oldSegments = before?.Segments ?? [];
        var newSegments = after?.Segments ?? [];
        foreach (var segment in oldSegments)
        {
            if (!Holds(newSegments, segment))
            {
                rows.CloseVersion(policyId, segment.ValidFrom, recordedAt);
            }
        }

        foreach (var segment in newSegments)
        {
            if (Holds(oldSegments, segment))
            {
                continue;
            }

            var state = segment.Snapshot.State;
            rows.InsertVersion(new VersionRow(
                policyId,
                segment.ValidFrom,
                segment.ValidTo,
                recordedAt,
                StatusName(segment.Snapshot.Status),
                KindName(state.Kind),
                state.Jurisdiction,
                [.. state.Topics],
                states.Of(segment)));
        }

        // A change row repeats the instrument's filter fields: when a correction changes them, every row is re-recorded.
        var sameFacts = before is not null && after is not null && SameFacts(before.Instrument, after.Instrument);
        var oldChanges = before?.Changes ?? [];
        var newChanges = after?.Changes ?? [];
        foreach (var change in oldChanges)
        {
            if (!sameFacts || !Holds(newChanges, change))
            {
                rows.CloseChange(policyId, KeyOf(change), recordedAt);
            }
        }

        foreach (var change in newChanges)
        {
            if (sameFacts && Holds(oldChanges, change))
            {
                continue;
            }

            var instrument = after!.Instrument;
            rows.InsertChange(new ChangeRow(
                policyId,
                KeyOf(change),
                change.EventId,
                change.Version,
                change.Type,
                change.EffectiveAt,
                recordedAt,
                change.Summary,
                change.Citation,
                change.SourceUrl,
                KindName(instrument.Kind),
                instrument.Jurisdiction,
                [.. instrument.Topics],
                instrument.Title));
        }
    }

    // Segments of one timeline have distinct starts, so an equal segment can only be the one with the same start.
    private static bool Holds(IReadOnlyList<TimelineSegment> segments, TimelineSegment segment)
    {
        foreach (var candidate in segments)
        {
            if (candidate.ValidFrom == segment.ValidFrom)
            {
                return candidate.ValidTo == segment.ValidTo && candidate.Snapshot.Equals(segment.Snapshot);
            }
        }

        return false;
    }

    // Changes of one timeline have distinct keys (an event, or an expiry reached at one time).
    private static bool Holds(IReadOnlyList<PolicyChange> changes, PolicyChange change)
    {
        foreach (var candidate in changes)
        {
            if (candidate.EventId == change.EventId && (change.EventId is not null || candidate.EffectiveAt == change.EffectiveAt))
            {
                return candidate.Equals(change);
            }
        }

        return false;
    }

    private static bool SameFacts(PolicyState before, PolicyState after) =>
        before.Kind == after.Kind && string.Equals(before.Jurisdiction, after.Jurisdiction, StringComparison.Ordinal) &&
        before.Topics.Equals(after.Topics) && string.Equals(before.Title, after.Title, StringComparison.Ordinal);

    private static string KeyOf(PolicyChange change) => change.EventId?.ToString() ?? $"expiry:{Instants.Format(change.EffectiveAt)}";

    public static string StatusName(PolicyStatus status) => StatusNames[status];

    private static string KindName(PolicyKind kind) => KindNames[kind];

    // Named once: every row carries them, and converting the name per row showed in the rebuild's profile.
    private static readonly FrozenDictionary<PolicyStatus, string> StatusNames =
        Enum.GetValues<PolicyStatus>().ToFrozenDictionary(status => status, status => JsonNamingPolicy.KebabCaseLower.ConvertName(status.ToString()));

    private static readonly FrozenDictionary<PolicyKind, string> KindNames =
        Enum.GetValues<PolicyKind>().ToFrozenDictionary(kind => kind, kind => JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString()));
}
