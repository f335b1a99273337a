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
    // The closes read their keys from a small JSON document: json_to_recordset tells the planner nothing of its size,
    // so it always probes the index once per close. Given the count (an array's length), it chose to hash a scan of
    // the whole table once a page closed a few thousand rows of a table of a few hundred thousand (a plan test checks).
    // A version close finds its row by both leading columns of the open rows' index ("since ever" is no instant a row
    // holds, so -infinity stands for it, as the index has it): matched by `is not distinct from`, each close read all of
    // an instrument's open rows.
    private readonly string _closeVersions =
        $"update {tables.Versions.Identifier.QualifiedName} v set recorded_to = c.recorded_to " +
        "from json_to_recordset(?::json) as c(policy_id text, valid_from timestamptz, recorded_to timestamptz) " +
        $"where v.policy_id = c.policy_id and v.recorded_to is null and {ReadModelTables.EffectiveFromOf("v.valid_from")} = {ReadModelTables.EffectiveFromOf("c.valid_from")}";

    private readonly string _closeChanges =
        $"update {tables.Changes.Identifier.QualifiedName} c set recorded_to = x.recorded_to " +
        "from json_to_recordset(?::json) as x(policy_id text, change_key text, recorded_to timestamptz) " +
        "where c.policy_id = x.policy_id and c.change_key = x.change_key and c.recorded_to is null";

    // The inserts read their rows from typed arrays, one per column, unnested side by side: PostgreSQL takes an array
    // parameter in its binary form as it is. They used to come as one JSON document read by json_to_recordset, which
    // parsed it field by field, every state again as text: two thirds of the version rows' insert (docs/performance.md).
    private readonly string _insertVersions =
        $"insert into {tables.Versions.Identifier.QualifiedName} (policy_id, valid_from, valid_to, recorded_from, recorded_to, status, kind, jurisdiction, topics, state) " +
        "select policy_id, valid_from, valid_to, recorded_from, recorded_to, status, kind, jurisdiction, topics::text[], convert_from(state, 'UTF8') " +
        "from unnest(?::text[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bytea[]) " +
        "as r(policy_id, valid_from, valid_to, recorded_from, recorded_to, status, kind, jurisdiction, topics, state)";

    private readonly string _insertChanges =
        $"insert into {tables.Changes.Identifier.QualifiedName} (policy_id, change_key, event_id, version, type, effective_at, recorded_from, recorded_to, summary, citation, source_url, kind, jurisdiction, topics, title) " +
        "select policy_id, change_key, event_id, version, type, effective_at, recorded_from, recorded_to, summary, citation, source_url, kind, jurisdiction, topics::text[], title " +
        "from unnest(?::text[], ?::text[], ?::uuid[], ?::bigint[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) " +
        "as r(policy_id, change_key, event_id, version, type, effective_at, recorded_from, recorded_to, summary, citation, source_url, kind, jurisdiction, topics, title)";

    private readonly string _insertTopics =
        $"insert into {tables.Topics.Identifier.QualifiedName} (topic, policy_id) " +
        "select topic, policy_id from unnest(?::text[], ?::text[]) as t(topic, policy_id) on conflict do nothing";

    /// <summary>The statement that closes version rows, for the plan test (its one parameter is written <c>?</c>).</summary>
    internal string CloseVersionsSql => _closeVersions;

    /// <summary>Row changes of one page, written by <see cref="Flush"/>.</summary>
    public static RowChanges Begin() => new();

    public void Flush(IDocumentOperations operations, RowChanges rows)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(rows);
        // Closes first: they touch only rows stored before the page, never the ones inserted here.
        QueueCloses(operations, _closeVersions, rows.ClosedVersions, (json, row) => json.WriteString("valid_from", Instant(row.ValidFrom)));
        QueueCloses(operations, _closeChanges, rows.ClosedChanges, (json, row) => json.WriteString("change_key", row.ChangeKey));
        var versions = rows.InsertedVersions;
        Queue(
            operations,
            _insertVersions,
            versions.Count,
            Texts(versions, row => row.PolicyId),
            Times(versions, row => row.ValidFrom),
            Times(versions, row => row.ValidTo),
            Times(versions, row => row.RecordedFrom),
            Times(versions, row => row.RecordedTo),
            Texts(versions, row => row.Status),
            Texts(versions, row => row.Kind),
            Texts(versions, row => row.Jurisdiction),
            Texts(versions, row => ArrayLiteral(row.Topics)),
            // The states go as the UTF-8 bytes the fold wrote (rows often share one), not decoded into strings only for
            // Npgsql to encode them again; the statement reads them back as text (and checks they are UTF-8).
            versions.Select(row => row.State).ToArray());
        var changes = rows.InsertedChanges;
        Queue(
            operations,
            _insertChanges,
            changes.Count,
            Texts(changes, row => row.PolicyId),
            Texts(changes, row => row.ChangeKey),
            changes.Select(row => row.EventId).ToArray(),
            changes.Select(row => row.Version).ToArray(),
            Texts(changes, row => row.Type),
            Times(changes, row => row.EffectiveAt),
            Times(changes, row => row.RecordedFrom),
            Times(changes, row => row.RecordedTo),
            Texts(changes, row => row.Summary),
            Texts(changes, row => row.Citation),
            Texts(changes, row => row.SourceUrl),
            Texts(changes, row => row.Kind),
            Texts(changes, row => row.Jurisdiction),
            Texts(changes, row => ArrayLiteral(row.Topics)),
            Texts(changes, row => row.Title));
        Queue(operations, _insertTopics, rows.Topics.Count, Texts(rows.Topics, pair => pair.Topic), Texts(rows.Topics, pair => pair.PolicyId));
    }

    /// <summary>Queues <paramref name="sql"/> with the closed rows as one JSON array: each row's id, its key, and when it was closed.</summary>
    private static void QueueCloses(IDocumentOperations operations, string sql, List<ClosedRow> rows, Action<Utf8JsonWriter, ClosedRow> writeKey)
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
                json.WriteString("policy_id", row.PolicyId);
                writeKey(json, row);
                json.WriteString("recorded_to", Instant(row.RecordedTo));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        operations.QueueSqlCommand(sql, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static string? Instant(DateTimeOffset? value) => value is { } instant ? Instants.Format(instant) : null;

    /// <summary>Queues <paramref name="sql"/> with its columns, each an array of that column of every row; nothing when there are no rows.</summary>
    private static void Queue(IDocumentOperations operations, string sql, int rows, params object[] columns)
    {
        if (rows > 0)
        {
            operations.QueueSqlCommand(sql, columns);
        }
    }

    private static string?[] Texts<T>(IEnumerable<T> rows, Func<T, string?> column) => [.. rows.Select(column)];

    // timestamptz takes instants in UTC; they are kept at microsecond resolution (Instants.Normalize), as it holds them.
    private static DateTimeOffset?[] Times<T>(IEnumerable<T> rows, Func<T, DateTimeOffset?> column) => [.. rows.Select(row => column(row)?.ToUniversalTime())];

    /// <summary>
    /// <paramref name="values"/> as PostgreSQL's text of a one-dimensional array, every element quoted: a row's topics
    /// go as one text each (an array of arrays must be rectangular), cast back to <c>text[]</c> by the statement.
    /// </summary>
    internal static string ArrayLiteral(IReadOnlyList<string> values)
    {
        var literal = new System.Text.StringBuilder("{");
        for (var i = 0; i < values.Count; i++)
        {
            literal.Append(i == 0 ? "\"" : ",\"");
            foreach (var character in values[i])
            {
                if (character is '"' or '\\')
                {
                    literal.Append('\\');
                }

                literal.Append(character);
            }

            literal.Append('"');
        }

        return literal.Append('}').ToString();
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
