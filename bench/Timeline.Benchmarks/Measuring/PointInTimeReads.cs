using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Marten;
using Npgsql;
using Timeline.Api.PointInTime;
using Timeline.Api.ReadModel;
using Timeline.Benchmarks.Generation;
using Timeline.Domain.Policies;

namespace Timeline.Benchmarks.Measuring;

/// <summary>Latency of a point-in-time read, and of the naive approach for the same question, with the naive sample's cap.</summary>
/// <param name="Fast">Over HTTP, end to end.</param>
/// <param name="Sql">The read model's query in this process (PointInTimeQueries on a pooled connection set up as the service's read pool): the same footing as the naive approach.</param>
/// <param name="Naive">Every stream read with Marten and folded, in this process.</param>
public sealed record ReadFigures(Percentiles Fast, Percentiles Sql, Percentiles Naive, string? NaiveNote);

/// <summary>
/// The point-in-time reads over HTTP (the service as a process, sequential requests, after a warm-up), against the
/// naive approach in this process: every stream read with Marten and folded (live aggregation, by the reference
/// fold), then filtered. The first page of both is compared, so the figures are for the same answer.
/// </summary>
public static class PointInTimeReads
{
    public const string At = "2024-06-01";

    public static string ListPath(string? topic) => $"/api/policies?at={At}" + (topic is null ? string.Empty : $"&topic={topic}");

    public static async Task<ReadFigures> ListAsync(HttpClient http, IDocumentStore store, NpgsqlDataSource dataSource, string? topic, int samples, TimeSpan naiveBudget, bool runNaive)
    {
        ArgumentNullException.ThrowIfNull(http);
        var path = ListPath(topic);
        var fast = await TimeHttpAsync(http, [path], samples);
        using var answer = JsonDocument.Parse(await http.GetStringAsync(new Uri(path, UriKind.Relative)));
        var at = answer.RootElement.GetProperty("at").GetDateTimeOffset();
        var asOf = answer.RootElement.GetProperty("asOf").GetDateTimeOffset();
        var queries = new PointInTimeQueries(new ReadModelTables("timeline"));
        var filter = new PolicyFilter("in-force", topic, null, null, null, 100);
        // In a transaction, as the service reads a list: its rounds share the plan settings of the read.
        var sql = await TimeSqlAsync(dataSource, samples, async (connection, _) =>
        {
            await using var transaction = await connection.BeginTransactionAsync();
            return await queries.ListAsync(connection, at, asOf, filter, CancellationToken.None);
        });
        var firstPage = answer.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
        if (!runNaive)
        {
            return new ReadFigures(fast, sql, new Percentiles(double.NaN, double.NaN, 0), "naive not run at this size (it holds every event in memory)");
        }

        var naive = new List<double>();
        var budget = Stopwatch.StartNew();
        while (naive.Count < 5 && (naive.Count < 1 || budget.Elapsed < naiveBudget))
        {
            var started = Stopwatch.GetTimestamp();
            var page = await NaiveListAsync(store, at, asOf, topic);
            naive.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!page.SequenceEqual(firstPage, StringComparer.Ordinal))
            {
                throw new InvalidOperationException($"The naive first page differs from the service's for {path}.");
            }
        }

        return new ReadFigures(fast, sql, Percentiles.Of(naive), $"naive: {naive.Count} runs (at most 5, stopping after {naiveBudget.TotalSeconds:F0} s)");
    }

    /// <summary>
    /// The first page of the list in force as of a past record time: that of the event <paramref name="fraction"/> of the
    /// way through the log, so that the record then held that share of it (the second clock; as of now is the list above).
    /// Over HTTP only: the naive approach answers any record time at the same cost.
    /// </summary>
    public static async Task<Percentiles> PastListAsync(HttpClient http, NpgsqlDataSource dataSource, double fraction, string? topic, int samples)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(
            "select \"timestamp\" from timeline.mt_events where seq_id >= (select greatest(1, (max(seq_id) * $1)::bigint) from timeline.mt_events) order by seq_id limit 1");
        command.Parameters.Add(new NpgsqlParameter { Value = fraction });
        DateTimeOffset asOf;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            asOf = await reader.GetFieldValueAsync<DateTimeOffset>(0);
        }

        var path = $"{ListPath(topic)}&asOf={Uri.EscapeDataString(asOf.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture))}";
        return await TimeHttpAsync(http, [path], samples);
    }

    public static async Task<ReadFigures> StateAsync(HttpClient http, IDocumentStore store, NpgsqlDataSource dataSource, int samples)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(store);
        var ids = await InForceIdsAsync(dataSource, 200);
        var paths = ids.Select(id => $"/api/policies/{id}?at={At}").ToList();
        var fast = await TimeHttpAsync(http, paths, samples);
        var at = new DateTimeOffset(2024, 6, 2, 4, 0, 0, TimeSpan.Zero);
        var asOf = DateTimeOffset.UtcNow;
        var queries = new PointInTimeQueries(new ReadModelTables("timeline"));
        var sql = await TimeSqlAsync(dataSource, samples, (connection, i) => queries.GetAsync(connection, ids[i % ids.Count], at, asOf, CancellationToken.None));
        var naive = new List<double>();
        await using var session = store.QuerySession();
        foreach (var id in ids.Take(samples))
        {
            var started = Stopwatch.GetTimestamp();
            var events = await session.Events.FetchStreamAsync(id);
            _ = ReferenceFold.StateAt(events.Select(PolicyTimelineProjection.ToRecorded), at, DateTimeOffset.UtcNow);
            naive.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return new ReadFigures(fast, sql, Percentiles.Of(naive), "naive: the one stream read with Marten and folded");
    }

    /// <summary>Instruments in force on the query date, in an order unrelated to their ids.</summary>
    public static async Task<List<string>> InForceIdsAsync(NpgsqlDataSource dataSource, int count)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(
            $"select policy_id from timeline.policy_versions where status = 'in-force' and recorded_to is null and {ReadModelTables.EffectiveFrom} <= '{At}T12:00:00Z'::timestamptz and {ReadModelTables.EffectiveTo} > '{At}T12:00:00Z'::timestamptz order by md5(policy_id) limit {count}");
        // Choosing the sample is not measured, and at millions of events it reads every row in force: no time limit.
        command.CommandTimeout = 0;
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static async Task<Percentiles> TimeSqlAsync<T>(NpgsqlDataSource dataSource, int samples, Func<NpgsqlConnection, int, Task<T>> query)
    {
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < 20 || warming.Elapsed < WarmUp(samples); i++)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await query(connection, 0);
        }

        var sample = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await using (var connection = await dataSource.OpenConnectionAsync())
            {
                await query(connection, i);
            }

            sample.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return Percentiles.Of(sample);
    }

    private static TimeSpan WarmUp(int samples) => TimeSpan.FromSeconds(samples >= 300 ? 10 : 0.5);

    private static async Task<Percentiles> TimeHttpAsync(HttpClient http, List<string> paths, int samples)
    {
        // Warm for a few seconds, not a few requests: the service's JIT only reaches its optimised code after its methods
        // have run a while (tiered compilation), and a cold service measured 2 to 3 times slower.
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < 20 || warming.Elapsed < WarmUp(samples); i++)
        {
            using var warm = await http.GetAsync(new Uri(paths[i % paths.Count], UriKind.Relative));
            await warm.Content.ReadAsByteArrayAsync();
        }

        var sample = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(new Uri(paths[i % paths.Count], UriKind.Relative));
            await response.Content.ReadAsByteArrayAsync();
            sample.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"GET {paths[i % paths.Count]} answered {(int)response.StatusCode}.");
            }
        }

        return Percentiles.Of(sample);
    }

    private static async Task<List<string>> NaiveListAsync(IDocumentStore store, DateTimeOffset at, DateTimeOffset asOf, string? topic)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().ToListAsync();
        return events.GroupBy(e => e.StreamKey!, StringComparer.Ordinal)
            .Select(stream => (Id: stream.Key, State: ReferenceFold.StateAt(stream.OrderBy(e => e.Version).Select(PolicyTimelineProjection.ToRecorded), at, asOf)))
            .Where(s => s.State is { Status: PolicyStatus.InForce } && (topic is null || s.State.State.Topics.Contains(topic)))
            .Select(s => s.Id)
            .Order(StringComparer.Ordinal)
            .Take(100)
            .ToList();
    }

    public static string Format(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
