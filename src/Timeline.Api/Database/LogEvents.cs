using Marten;
using Npgsql;
using Timeline.Domain.Policies;

namespace Timeline.Api.Database;

/// <summary>
/// Reads the log's events as the fold takes them, with only the columns it reads (id, stream, version, record time,
/// type, causation, data), deserialised by the store's own serializer under the type names the store maps. Marten's
/// raw-event query also brings each event's headers, correlation id, user name, tenant and .NET type name, which
/// PostgreSQL prints and the client parses for nothing. Archived events are left out, as Marten's query leaves them out.
/// Used by a rebuild (the whole log) and a batch write (the streams its commands read).
/// </summary>
internal sealed class LogEvents(IDocumentStore store)
{
    private readonly ISerializer _serializer = store.Options.Serializer();

    private const string Columns = "id, stream_id, version, \"timestamp\", type, causation_id, data";

    private string Events => $"{store.Options.Events.DatabaseSchemaName}.mt_events";

    /// <summary>The events that match <paramref name="condition"/> (SQL on <c>mt_events</c>), in (stream, version) order.</summary>
    public string Query(string condition) => $"select {Columns} from {Events} where {condition} and not is_archived order by stream_id, version";

    /// <summary>
    /// The events of the streams named in the text array <paramref name="idsParameter"/>, each stream's in version order,
    /// the streams in the array's order: one probe of the log's (stream, version) key per stream, whatever the statistics
    /// say. Written as <c>stream_id = any(...)</c>, the planner chose from the statistics: early in a bulk import (none yet,
    /// autovacuum analyses a table at most once a minute) a parallel scan of the whole log and a sort, 17 ms for a batch's
    /// 560 streams at 100k events; with fresh ones a sequential scan comparing every event with every id (154 ms in psql).
    /// A lateral subquery with its own order is planned once per stream and cannot be turned into a join.
    /// </summary>
    public string QueryStreams(string idsParameter) =>
        $"select e.* from unnest({idsParameter}::text[]) as wanted(stream_id) cross join lateral " +
        $"(select {Columns} from {Events} where stream_id = wanted.stream_id and not is_archived order by version) e";

    /// <summary>The event on the reader's current row of <see cref="Query"/> or <see cref="QueryStreams"/>.</summary>
    public RecordedEvent Read(NpgsqlDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
#pragma warning disable VSTHRD103 // ReadAsync has buffered the whole row (no sequential access): these reads do no I/O
        var data = (IPolicyEvent)_serializer.FromJson(PolicyEventTypes.TypeNamed(reader.GetString(4)), reader, 6);
        return new RecordedEvent(
            reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3), data, reader.IsDBNull(5) ? null : reader.GetString(5));
#pragma warning restore VSTHRD103
    }
}
