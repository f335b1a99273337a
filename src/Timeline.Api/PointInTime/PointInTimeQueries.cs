using System.Buffers;
using System.Text;
using System.Text.Json;
using Npgsql;
using Timeline.Api.Http;
using Timeline.Api.ReadModel;
using Timeline.Domain.Policies;

namespace Timeline.Api.PointInTime;

/// <summary>A point-in-time list query: what matched, and the filters it had.</summary>
/// <remarks>
/// <c>Current</c>: <c>asOf</c> is at or after the last record time; then every row that holds is still open
/// (<c>recorded_to is null</c>), and the query walks only open rows (the partial index <c>ix_policy_versions_current</c>).
/// </remarks>
/// <remarks>
/// <c>Candidates</c>: only these instruments (in id order), the ones <c>policy_topics</c> lists for the topic.
/// </remarks>
public sealed record PolicyFilter(
    string? Status, string? Topic, string? Kind, string? Jurisdiction, string? After, int Limit, bool Current = false, IReadOnlyList<string>? Candidates = null);

/// <summary>
/// Reads the read model's version rows: the row of each instrument whose effective interval holds
/// <c>at</c> and whose record interval holds <c>asOf</c>. One indexed query (the bounds' index in id order, or the
/// current rows' one as of now), plus the stream version as of <c>asOf</c> from the event store's (stream, version) index.
/// </summary>
/// <param name="tables">The read model's tables.</param>
/// <param name="smallRecord">
/// How many events a record may have held at a past record time for a list as of then to take its instruments from the
/// log (<see cref="RecordAsOfAsync"/>); 0 always walks the version rows (tests compare the two).
/// </param>
/// <param name="smallShare">And what share of today's log, at most, one in this many events.</param>
public sealed class PointInTimeQueries(ReadModelTables tables, int smallRecord = PointInTimeQueries.DefaultSmallRecord, int smallShare = PointInTimeQueries.DefaultSmallShare)
{
    private readonly string _versions = tables.Versions.Identifier.QualifiedName;
    private readonly string _topics = tables.Topics.Identifier.QualifiedName;
    private readonly string _events = $"{tables.Schema}.mt_events";
    private readonly string _streams = $"{tables.Schema}.mt_streams";

    /// <summary>The SQL of the list query, for EXPLAIN in tests and docs.</summary>
    public string ListSql(PolicyFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sql = new StringBuilder(ViewsThatHoldSql(filter.Current));
        sql.Append(filter.Status is null ? string.Empty : " and v.status = @status");
        sql.Append(filter.Topic is null ? string.Empty : " and v.topics @> array[@topic]");
        sql.Append(filter.Kind is null ? string.Empty : " and v.kind = @kind");
        sql.Append(filter.Jurisdiction is null ? string.Empty : " and v.jurisdiction = @jurisdiction");
        sql.Append(filter.After is null ? string.Empty : " and v.policy_id > @after");
        sql.Append(filter.Candidates is null ? string.Empty : " and v.policy_id = any(@candidates)");
        sql.Append(" order by v.policy_id limit @limit");
        return sql.ToString();
    }

    /// <summary>
    /// The view columns of the rows that hold at <c>@at</c> as of <c>@as_of</c>, for a list and a state alike. With
    /// <paramref name="current"/> (as of the last record time or later, the append lock held), every row that holds is
    /// open and every event counts: the open rows in the current rows' index's terms, so that the index passes over
    /// other times' rows, and the stream's current version. The interval is stated once: said both as a range and as
    /// bounds, the planner took the two for independent conditions, expected a tenth of the rows, and sorted every row
    /// in force instead of stopping early.
    /// </summary>
    private string ViewsThatHoldSql(bool current)
    {
        var version = current
            ? $"(select s.version from {_streams} s where s.id = v.policy_id)"
            : $"(select max(e.version) from {_events} e where e.stream_id = v.policy_id and e.\"timestamp\" <= @as_of)";
        var holds = current
            ? $"v.recorded_to is null and {ReadModelTables.EffectiveFrom} <= @at and {ReadModelTables.EffectiveTo} > @at"
            : ReadModelTables.Holds("@at", "@as_of");
        return $"select v.state, v.status, v.valid_from, v.valid_to, {version} as version from {_versions} v where {holds}";
    }

    public NpgsqlCommand ListCommand(NpgsqlConnection connection, DateTimeOffset at, DateTimeOffset asOf, PolicyFilter filter)
    {
        var command = new NpgsqlCommand(ListSql(filter), connection);
        command.Parameters.AddRange(ListParameters(at, asOf, filter));
        return command;
    }

    private static NpgsqlParameter[] ListParameters(DateTimeOffset at, DateTimeOffset? asOf, PolicyFilter filter)
    {
        var parameters = new List<NpgsqlParameter> { new("at", at), new("limit", filter.Limit + 1) };
        if (!filter.Current)
        {
            parameters.Add(new("as_of", asOf ?? throw new ArgumentException("A list not as of now needs its record time.", nameof(asOf))));
        }

        AddIfSet(parameters, "status", filter.Status);
        AddIfSet(parameters, "topic", filter.Topic);
        AddIfSet(parameters, "kind", filter.Kind);
        AddIfSet(parameters, "jurisdiction", filter.Jurisdiction);
        AddIfSet(parameters, "after", filter.After);
        if (filter.Candidates is { } candidates)
        {
            parameters.Add(new("candidates", candidates.ToArray()));
        }

        return [.. parameters];
    }

    /// <summary>
    /// A list as of now without a topic, in one round trip: the first page's query goes in one batch with the settled now
    /// (<see cref="ReadScope.SettleWithAsync"/>), which holds the append lock shared while it runs, so the open rows are
    /// the ones that hold.
    /// </summary>
    public async Task<(IReadOnlyList<PolicyView> Items, string? NextCursor)> ListNowAsync(ReadScope read, PolicyFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(filter);
        if (read.Requested.AsOf is not null || filter.Topic is not null)
        {
            throw new ArgumentException("Only a list as of now without a topic is one query.", nameof(filter));
        }

        var current = filter with { Current = true };
        var query = new NpgsqlBatchCommand(ListSql(current));
        query.Parameters.AddRange(ListParameters(read.Requested.At, null, current));
        var items = await read.SettleWithAsync(query, planOnceForAnyValues: false, reader => ReadViewsAsync<PolicyView>(reader, cancellationToken), cancellationToken);
        return Page(items, filter.Limit);
    }

    private static (IReadOnlyList<PolicyView> Items, string? NextCursor) Page(List<PolicyView> items, int limit) =>
        items.Count > limit ? (items.Take(limit).ToList(), items[limit - 1].Id) : (items, null);

    /// <summary>
    /// The list. <paramref name="asOfIsSettledNow"/>: <paramref name="asOf"/> is at or after every committed record time
    /// (the settled now), so the rows that hold are all open without asking the log for its last record time.
    /// The caller holds the append lock shared for the read (<c>ReadScope</c> with <c>holdNow</c>): as of the last record
    /// time, "the rows that hold" is read as "the open rows", which is true only while no append commits.
    /// </summary>
    public async Task<(IReadOnlyList<PolicyView> Items, string? NextCursor)> ListAsync(
        NpgsqlConnection connection, DateTimeOffset at, DateTimeOffset asOf, PolicyFilter filter, CancellationToken cancellationToken, bool asOfIsSettledNow = false)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(connection);
        if (asOfIsSettledNow)
        {
            filter = filter with { Current = true };
        }
        else
        {
            var (current, recorded) = await RecordAsOfAsync(connection, asOf, cancellationToken);
            // A record that was still small at asOf: only its instruments can have rows that hold, and they are few.
            filter = filter with { Current = current, Candidates = filter.Candidates ?? recorded };
        }

        var items = filter.Topic is null || filter.Candidates is not null
            ? await ReadViewsAsync<PolicyView>(ListCommand(connection, at, asOf, filter), cancellationToken)
            : await ListByTopicAsync(connection, at, asOf, filter, cancellationToken);
        return Page(items, filter.Limit);
    }

    /// <summary>Events a record may have held at a past record time for its list to take its instruments from the log.</summary>
    public const int DefaultSmallRecord = 16_384;

    /// <summary>
    /// The share of today's log, one in this many events, a record may have held for the same. Where the record then held
    /// more, the walk finds a page soon: at 10k events, as of half the log, the candidates took 7 ms a page, the walk 2.
    /// </summary>
    public const int DefaultSmallShare = 16;

    /// <summary>
    /// The record time of the top probe's event, once the log has one: the log only grows, so the record as of any later
    /// time held more than <c>smallRecord</c> events, and such a list skips the probes. Only a shortcut: a stale value
    /// (a log restored to fewer events) makes a list walk where it could have taken candidates, never answer otherwise.
    /// </summary>
    private long _largeFromTicks = long.MaxValue;

    /// <summary>
    /// Whether <paramref name="asOf"/> is at or after the last record time (the rows that hold are the open ones), and, when
    /// the record then held at most <c>smallRecord</c> events and one in <c>smallShare</c> of today's, the instruments it held. A list walks the version rows
    /// in id order and stops after a page; as of a time when the record held a few of today's instruments, almost every
    /// row it passes was recorded later, and it walked the whole index for a page (at 100k events, 30-50 ms as of a time
    /// before the first event). Record time and the log's sequence agree (RecordClock), so the events recorded by then
    /// are a prefix of the log: probes of the sequence key at 1, 2, 4, ... up to that many find the first event recorded after
    /// it, and the instruments of the events before that one are the candidates (as a topic list's are).
    /// </summary>
    private async Task<(bool Current, List<string>? Recorded)> RecordAsOfAsync(NpgsqlConnection connection, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var probe = smallRecord > 0 && asOf.UtcTicks < Volatile.Read(ref _largeFromTicks);
        var steps = probe ? System.Numerics.BitOperations.Log2((uint)smallRecord) : 0;
        var topProbe = 1L << steps;
        var probes = probe
            ? $", (select min(p.seq_id) from generate_series(0, {steps}) k cross join lateral " +
              $"(select seq_id, \"timestamp\" from {_events} where seq_id >= (1::bigint << k) order by seq_id limit 1) p where p.\"timestamp\" > @as_of), " +
              $"(select \"timestamp\" from {_events} where seq_id >= {topProbe} order by seq_id limit 1)"
            : string.Empty;
        // The log's last event, read once for both: whether asOf is at or after it, and how long the log is.
        await using var command = new NpgsqlCommand(
            $"select coalesce(@as_of >= l.\"timestamp\", true), coalesce(l.seq_id, 0){probes} from (select) one " +
            $"left join lateral (select \"timestamp\", seq_id from {_events} order by seq_id desc limit 1) l on true",
            connection);
        command.Parameters.AddWithValue("as_of", asOf);
        bool current;
        long? firstAfter = null;
        long last;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            current = reader.GetBoolean(0);
            last = reader.GetInt64(1);
            if (probe)
            {
                firstAfter = await reader.IsDBNullAsync(2, cancellationToken) ? null : reader.GetInt64(2);
                if (!await reader.IsDBNullAsync(3, cancellationToken))
                {
                    Volatile.Write(ref _largeFromTicks, (await reader.GetFieldValueAsync<DateTimeOffset>(3, cancellationToken)).UtcTicks);
                }
            }
        }

        if (current || firstAfter is not { } before || before > last / smallShare)
        {
            return (current, null);
        }

        await using var instruments = new NpgsqlCommand(RecordedBeforeSql, connection);
        instruments.Parameters.AddWithValue("before", before);
        instruments.Parameters.AddWithValue("as_of", asOf);
        var recorded = new List<string>();
        await using (var reader = await instruments.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                recorded.Add(reader.GetString(0));
            }
        }

        return (false, recorded);
    }

    /// <summary>
    /// The instruments of the events before sequence <c>@before</c> recorded at or before <c>@as_of</c>. In sequence order
    /// with a limit (never reached: the ids below it are at most that many), so that the plan reads the sequence key
    /// whatever the statistics say, as the chain's read-back does.
    /// </summary>
    internal string RecordedBeforeSql =>
        $"select distinct stream_id from (select stream_id, \"timestamp\" from {_events} where seq_id < @before order by seq_id limit @before) e " +
        "where \"timestamp\" <= @as_of";

    /// <summary>
    /// A list filtered by topic: the instruments that ever had the topic are taken from <c>policy_topics</c> in id order,
    /// a few times the page at a time, and their rows looked up, until the page is full. Walking every row and dropping
    /// seven in eight cost 44 ms a page under load at 100k events; the planner, misjudging how many rows match, would
    /// rather join every candidate and sort than stop early, hence the rounds here.
    /// </summary>
    private async Task<List<PolicyView>> ListByTopicAsync(
        NpgsqlConnection connection, DateTimeOffset at, DateTimeOffset asOf, PolicyFilter filter, CancellationToken cancellationToken)
    {
        if (filter.Current)
        {
            await PlanOnceForAnyCandidatesAsync(connection, cancellationToken);
        }

        var found = new List<PolicyView>();
        var after = filter.After;
        var scan = Math.Max(4 * (filter.Limit + 1), 256);
        while (true)
        {
            var candidates = await CandidatesAsync(connection, filter.Topic!, after, scan, cancellationToken);
            if (candidates.Count == 0)
            {
                return found;
            }

            var round = filter with { After = null, Candidates = candidates, Limit = filter.Limit - found.Count };
            found.AddRange(await ReadViewsAsync<PolicyView>(ListCommand(connection, at, asOf, round), cancellationToken));
            if (found.Count > filter.Limit || candidates.Count < scan)
            {
                return found;
            }

            after = candidates[^1];
            scan = Math.Min(scan * 2, MaxCandidates);
        }
    }

    private const int MaxCandidates = 65_536;

    /// <summary>
    /// As of now, a round's query is planned once for any candidates (a generic plan), for the rest of the read's transaction
    /// (outside one the setting ends with its own statement: a read not under the append lock is not "as of now" anyway).
    /// Planned for each call's few hundred ids (reads force custom plans, <see cref="Database.ConnectionDefaults.ForReads"/>),
    /// PostgreSQL spent longer estimating the ids' selectivity than running the query (at 100k events, 4.3 ms a page
    /// against 1.9 generic), and the plan is the same: the current rows' index by id. Not for past record times, whose
    /// plan depends on the times asked.
    /// </summary>
    private static async Task PlanOnceForAnyCandidatesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Database.ConnectionDefaults.GenericPlansInTransaction, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<List<string>> CandidatesAsync(NpgsqlConnection connection, string topic, string? after, int count, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"select policy_id from {_topics} where topic = @topic and policy_id > coalesce(@after, '') order by policy_id limit @count", connection);
        command.Parameters.AddWithValue("topic", topic);
        command.Parameters.Add(new NpgsqlParameter("after", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)after ?? DBNull.Value });
        command.Parameters.AddWithValue("count", count);
        var ids = new List<string>(count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>One instrument at explicit times, on <paramref name="connection"/>.</summary>
    public async Task<PolicyAtResponse?> GetAsync(NpgsqlConnection connection, string policyId, DateTimeOffset at, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { StateCommand(policyId, at, asOf) } };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return (await ReadViewsAsync<PolicyAtResponse>(reader, cancellationToken)).FirstOrDefault();
    }

    /// <summary>
    /// One instrument at the read's times, in one round trip with settling them (<see cref="ReadScope.SettleWithAsync"/>).
    /// As of now (no record time asked), the open rows are the ones that hold while the batch runs: the current rows'
    /// index, and the stream's current version. Planned once for any values: an id's few rows are found by the id
    /// whatever the times, and planning the query for each call's values cost more than running it (at 100k events,
    /// 0.26 ms a state with custom plans against 0.17 with the generic one, <c>pgbench</c>).
    /// </summary>
    public Task<PolicyAtResponse?> GetAsync(ReadScope read, string policyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        return read.SettleWithAsync(
            StateCommand(policyId, read.Requested.At, read.Requested.AsOf),
            planOnceForAnyValues: true,
            async reader => (await ReadViewsAsync<PolicyAtResponse>(reader, cancellationToken)).FirstOrDefault(),
            cancellationToken);
    }

    /// <summary>The state query; <paramref name="asOf"/> null: as of now, for a caller that holds the append lock shared.</summary>
    internal NpgsqlBatchCommand StateCommand(string policyId, DateTimeOffset at, DateTimeOffset? asOf)
    {
        var command = new NpgsqlBatchCommand(ViewsThatHoldSql(current: asOf is null) + " and v.policy_id = @id");
        command.Parameters.AddWithValue("id", policyId);
        command.Parameters.AddWithValue("at", at);
        if (asOf is { } recorded)
        {
            command.Parameters.AddWithValue("as_of", recorded);
        }

        return command;
    }

    private static async Task<List<T>> ReadViewsAsync<T>(NpgsqlCommand command, CancellationToken cancellationToken)
        where T : PolicyView, new()
    {
        await using var owned = command;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadViewsAsync<T>(reader, cancellationToken);
    }

    private static async Task<List<T>> ReadViewsAsync<T>(NpgsqlDataReader reader, CancellationToken cancellationToken)
        where T : PolicyView, new()
    {
        var views = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var state = ReadState(reader);
            views.Add(PolicyView.Create<T>(
                state,
                reader.GetString(1),
                await reader.GetFieldValueAsync<long?>(4, cancellationToken) ?? 0,
                await reader.GetFieldValueAsync<DateTimeOffset?>(2, cancellationToken),
                await reader.GetFieldValueAsync<DateTimeOffset?>(3, cancellationToken)));
        }

        return views;
    }

    /// <summary>
    /// The state column's text read as the UTF-8 it arrives in (<c>GetStream</c> gives any column's raw bytes), not
    /// decoded into a string for the serializer to encode back: a list page reads a hundred of them.
    /// </summary>
    private static PolicyState ReadState(NpgsqlDataReader reader)
    {
        using var text = reader.GetStream(0);
        var length = checked((int)text.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            text.ReadExactly(buffer, 0, length);
            return JsonSerializer.Deserialize<PolicyState>(buffer.AsSpan(0, length), PolicyJson.Options)!;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void AddIfSet(List<NpgsqlParameter> parameters, string name, string? value)
    {
        if (value is not null)
        {
            parameters.Add(new(name, value));
        }
    }
}
