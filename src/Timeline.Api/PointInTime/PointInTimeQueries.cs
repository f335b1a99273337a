using System.Text;
using System.Text.Json;
using Npgsql;
using Timeline.Api.ReadModel;
using Timeline.Domain.Policies;

namespace Timeline.Api.PointInTime;

/// <summary>A point-in-time list query: what matched, and the filters it had.</summary>
/// <remarks>
/// <c>Current</c>: <c>asOf</c> is at or after the last record time; then every row that holds is still open
/// (<c>recorded_to is null</c>), and the query walks only open rows (the partial index <c>ix_policy_versions_current</c>).
/// </remarks>
public sealed record PolicyFilter(string? Status, string? Topic, string? Kind, string? Jurisdiction, string? After, int Limit, bool Current = false);

/// <summary>
/// Reads the read model's version rows: the row of each instrument whose effective interval holds
/// <c>at</c> and whose record interval holds <c>asOf</c>. One indexed query (the GiST index over both
/// intervals), plus the stream version as of <c>asOf</c> from the event store's (stream, version) index.
/// </summary>
public sealed class PointInTimeQueries(ReadModelTables tables)
{
    private readonly string _versions = tables.Versions.Identifier.QualifiedName;
    private readonly string _events = $"{tables.Schema}.mt_events";

    /// <summary>The SQL of the list query, for EXPLAIN in tests and docs.</summary>
    public string ListSql(PolicyFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sql = new StringBuilder($"""
            select v.state::text, v.status, v.valid_from, v.valid_to,
                   (select max(e.version) from {_events} e where e.stream_id = v.policy_id and e."timestamp" <= @as_of) as version
            from {_versions} v
            where {ReadModelTables.ValidRange} @> @at and {ReadModelTables.RecordedRange} @> @as_of
            """);
        // Rows are closed only at record times, so as of the last one or later every row that holds is open.
        sql.Append(filter.Current ? " and v.recorded_to is null" : string.Empty);
        sql.Append(filter.Status is null ? string.Empty : " and v.status = @status");
        sql.Append(filter.Topic is null ? string.Empty : " and v.topics @> array[@topic]");
        sql.Append(filter.Kind is null ? string.Empty : " and v.kind = @kind");
        sql.Append(filter.Jurisdiction is null ? string.Empty : " and v.jurisdiction = @jurisdiction");
        sql.Append(filter.After is null ? string.Empty : " and v.policy_id > @after");
        sql.Append(" order by v.policy_id limit @limit");
        return sql.ToString();
    }

    public NpgsqlCommand ListCommand(NpgsqlConnection connection, DateTimeOffset at, DateTimeOffset asOf, PolicyFilter filter)
    {
        var command = new NpgsqlCommand(ListSql(filter), connection);
        command.Parameters.AddWithValue("at", at);
        command.Parameters.AddWithValue("as_of", asOf);
        command.Parameters.AddWithValue("limit", filter.Limit + 1);
        AddIfSet(command, "status", filter.Status);
        AddIfSet(command, "topic", filter.Topic);
        AddIfSet(command, "kind", filter.Kind);
        AddIfSet(command, "jurisdiction", filter.Jurisdiction);
        AddIfSet(command, "after", filter.After);
        return command;
    }

    public async Task<(IReadOnlyList<PolicyView> Items, string? NextCursor)> ListAsync(
        NpgsqlConnection connection, DateTimeOffset at, DateTimeOffset asOf, PolicyFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(connection);
        await using (var head = new NpgsqlCommand(
            $"select @as_of >= coalesce((select \"timestamp\" from {_events} order by seq_id desc limit 1), '-infinity')", connection))
        {
            head.Parameters.AddWithValue("as_of", asOf);
            filter = filter with { Current = (bool)(await head.ExecuteScalarAsync(cancellationToken))! };
        }

        await using var command = ListCommand(connection, at, asOf, filter);
        var items = await ReadViewsAsync<PolicyView>(command, cancellationToken);
        return items.Count > filter.Limit ? (items.Take(filter.Limit).ToList(), items[filter.Limit - 1].Id) : (items, null);
    }

    public async Task<PolicyAtResponse?> GetAsync(NpgsqlConnection connection, string policyId, DateTimeOffset at, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            select v.state::text, v.status, v.valid_from, v.valid_to,
                   (select max(e.version) from {_events} e where e.stream_id = v.policy_id and e."timestamp" <= @as_of) as version
            from {_versions} v
            where v.policy_id = @id and {ReadModelTables.ValidRange} @> @at and {ReadModelTables.RecordedRange} @> @as_of
            """, connection);
        command.Parameters.AddWithValue("id", policyId);
        command.Parameters.AddWithValue("at", at);
        command.Parameters.AddWithValue("as_of", asOf);
        var found = await ReadViewsAsync<PolicyAtResponse>(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    private static async Task<List<T>> ReadViewsAsync<T>(NpgsqlCommand command, CancellationToken cancellationToken)
        where T : PolicyView, new()
    {
        var views = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var state = JsonSerializer.Deserialize<PolicyState>(reader.GetString(0), PolicyJson.Options)!;
            views.Add(PolicyView.Create<T>(
                state,
                reader.GetString(1),
                await reader.GetFieldValueAsync<long?>(4, cancellationToken) ?? 0,
                await reader.GetFieldValueAsync<DateTimeOffset?>(2, cancellationToken),
                await reader.GetFieldValueAsync<DateTimeOffset?>(3, cancellationToken)));
        }

        return views;
    }

    private static void AddIfSet(NpgsqlCommand command, string name, string? value)
    {
        if (value is not null)
        {
            command.Parameters.AddWithValue(name, value);
        }
    }
}
