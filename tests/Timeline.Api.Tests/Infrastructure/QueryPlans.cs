using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Timeline.Api.PointInTime;

namespace Timeline.Api.Tests.Infrastructure;

/// <summary>How PostgreSQL runs the service's queries, for tests that pin their plans; and a synthetic record to plan on.</summary>
public static class QueryPlans
{
    /// <summary>The lines of <c>explain (<paramref name="explainOptions"/>)</c> for <paramref name="command"/> with its parameters, printed.</summary>
    public static async Task<List<string>> OfAsync(NpgsqlCommand command, string explainOptions)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.CommandText = $"explain ({explainOptions}) {command.CommandText}";
        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                lines.Add(reader.GetString(0));
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', lines));
        return lines;
    }

    /// <summary>The plan of the list query for 2024-06-01 with <paramref name="filter"/>, printed, and the query's SQL.</summary>
    public static async Task<(string Plan, string Sql)> OfListAsync(TimelineApp app, PolicyFilter filter, DateTimeOffset asOf, string explainOptions)
    {
        ArgumentNullException.ThrowIfNull(app);
        var queries = app.Services.GetRequiredService<PointInTimeQueries>();
        var at = new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = queries.ListCommand(connection, at, asOf, filter);
        var sql = command.CommandText;
        return (string.Join('\n', await OfAsync(command, explainOptions)), sql);
    }

    /// <summary>
    /// Synthetic rows straight into the tables, not analysed: <paramref name="instruments"/> instruments of three events and
    /// three version rows each (ids <c>us-rule-1</c>...), the log's sequence moved past them. The plan depends on the shape and size of the data, not on how
    /// it was written. Events are about as wide as real ones (a real log's rows are 600 to 800 bytes): on narrow rows a
    /// sequential scan of the log is cheap, and the planner rightly prefers it where a real log's would not.
    /// </summary>
    public static Task SeedSyntheticRecordAsync(string connectionString, int instruments) => Sql.ExecuteAsync(connectionString, $$"""
        insert into timeline.mt_streams (id, version) select 'us-rule-' || i, 3 from generate_series(1, {{instruments}}) i;
        insert into timeline.mt_events (seq_id, id, stream_id, version, data, type, "timestamp")
          select (i - 1) * 3 + v, gen_random_uuid(), 'us-rule-' || i, v, jsonb_build_object('summary', repeat('x', 500)), 'amended',
                 timestamptz '2020-01-01' + i * interval '1 hour' + v * interval '1 minute'
          from generate_series(1, {{instruments}}) i, generate_series(1, 3) v;
        select setval('timeline.mt_events_sequence', {{3 * instruments}});
        insert into timeline.policy_versions (policy_id, valid_from, valid_to, recorded_from, recorded_to, status, kind, jurisdiction, topics, state)
          select 'us-rule-' || i, bounds.valid_from, bounds.valid_to, timestamptz '2020-01-01' + i * interval '1 hour', null,
                 bounds.status, 'rule', 'US', case when i % 4 = 0 then array['export-controls', 'ai'] else array['ai'] end, '{}'
          from generate_series(1, {{instruments}}) i,
          lateral (values
            (null::timestamptz, timestamptz '2018-01-01' + i * interval '3 hours', 'pending'),
            (timestamptz '2018-01-01' + i * interval '3 hours', timestamptz '2022-01-01' + i * interval '3 hours', 'in-force'),
            (timestamptz '2022-01-01' + i * interval '3 hours', null::timestamptz, 'rescinded')) as bounds(valid_from, valid_to, status);
        insert into timeline.policy_topics (topic, policy_id)
          select distinct topic, policy_id from timeline.policy_versions, unnest(topics) as topic;
        """);
}
