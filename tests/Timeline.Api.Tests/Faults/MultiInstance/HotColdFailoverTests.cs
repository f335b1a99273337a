using System.Diagnostics;
using Npgsql;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Faults.FaultSetup;

namespace Timeline.Api.Tests.Faults.MultiInstance;

/// <summary>
/// Three service processes on one database and one RabbitMQ, writers and readers spread over them: every instance
/// serves queries with the same answers, exactly one publishes (Marten's hot/cold daemon, leadership by a PostgreSQL
/// advisory lock) so each change reaches the subscriber once, and when the publishing instance is killed with SIGKILL
/// another takes over within 30 s, with nothing lost and nothing twice after deduplication.
/// </summary>
public sealed class HotColdFailoverTests(PostgresServer postgres, RabbitMqBroker broker) : IDisposable
{
    private const int Instances = 3;
    private static readonly TimeSpan HandOverBound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task Three_instances_serve_queries_publish_each_change_once_and_hand_publishing_over_within_30_s_when_the_publisher_is_killed()
    {
        var database = await postgres.CreateDatabaseAsync("timeline_instances");
        var rabbitMq = await broker.SharedAsync();
        var topic = $"instances-{Guid.NewGuid().ToString("N")[..8]}";
        await using var subscriber = await SubscriberHost.StartAsync(rabbitMq, $"test-{topic}", [$"*.{topic}.#"], _directory.Combine("journal.ndjson"));
        // The first alone, so that the schema is applied once; then the others side by side.
        var services = new List<ServiceProcess> { await ServiceProcess.StartAsync(Settings(Named(database, 0), rabbitMq)) };
        try
        {
            services.AddRange(await Task.WhenAll(Enumerable.Range(1, Instances - 1).Select(i => ServiceProcess.StartAsync(Settings(Named(database, i), rabbitMq)))));
            var publisher = await Eventually.ValueAsync(() => PublishingInstanceAsync(database), Bound, "one instance holds the daemon's leadership");

            await using var load = new WriteLoad(topic, topic, writers: 6, readers: 3, [.. services.Select(s => s.Address)], requestTimeout: TimeSpan.FromSeconds(30));
            load.Start();
            await load.AcknowledgedMoreAsync(60, Bound);
            var beforeKill = load.AcknowledgedEventIds;
            await subscriber.WaitForAsync(beforeKill, Bound);
            var duplicatesBeforeKill = subscriber.Journal.DuplicatesSkipped;

            // SIGKILL the publisher; clients move to the others (a write cut off is sent again there with its key).
            var killed = Stopwatch.GetTimestamp();
            await services[publisher].KillAsync();
            var survivors = services.Where((_, i) => i != publisher).ToList();
            load.TargetOnly([.. survivors.Select(s => s.Address)]);
            var successor = await Eventually.ValueAsync(() => PublishingInstanceAsync(database), Bound, "another instance takes the daemon's leadership");
            var leadershipAfter = Stopwatch.GetElapsedTime(killed);
            var acknowledgedAtKill = load.AcknowledgedEventIds.ToHashSet();
            await load.AcknowledgedMoreAsync(20, Bound);
            var writtenAfterKill = load.AcknowledgedEventIds.Except(acknowledgedAtKill).ToList();
            await Eventually.HoldsAsync(() => writtenAfterKill.Any(subscriber.Journal.Contains), Bound, () => "a change written after the kill is published");
            var publishingAfter = Stopwatch.GetElapsedTime(killed);
            await load.StopAsync();
            var answersBySurvivors = await SameAnswersAsync(survivors, topic);

            var recorded = await RecordedEventIdsAsync(database);
            await subscriber.WaitForAsync(recorded, Bound);
            var handled = subscriber.Lines().Select(line => line.GetProperty("messageId").GetGuid()).ToList();
            var lost = load.AcknowledgedEventIds.Except(recorded).ToList();
            var readsByInstance = load.Answers.Where(a => !a.IsWrite && a.Status == 200).GroupBy(a => a.Target).ToDictionary(g => g.Key, g => g.Count());

            Report($"Three instances, hot/cold publisher: {load.Summary()}");
            Report($"  reads answered 200 per instance: {string.Join(", ", services.Select((s, i) => $"instance {i}: {readsByInstance.GetValueOrDefault(s.Address)}"))}; the same list from each survivor after the writes: {answersBySurvivors}");
            Report($"  publisher: instance {publisher}; before the kill {beforeKill.Count} events delivered with {duplicatesBeforeKill} redeliveries (each published once)");
            Report($"  faults injected: SIGKILL of the publishing instance; instance {successor} took the leadership {Seconds(leadershipAfter)} after it and published a change written after the kill {Seconds(publishingAfter)} after it");
            Report($"  events recorded {recorded.Count}, acknowledged {load.AcknowledgedEventIds.Count}, lost {lost.Count}; at the subscriber {handled.Count} distinct, {subscriber.Journal.DuplicatesSkipped} redeliveries skipped, {handled.Count - handled.Distinct().Count()} duplicates after dedup");

            Assert.All(services, s => Assert.True(readsByInstance.GetValueOrDefault(s.Address) > 0, $"{s.Address} served queries"));
            Assert.True(answersBySurvivors, "every instance answers the same");
            Assert.Equal(0, duplicatesBeforeKill);
            Assert.NotEqual(publisher, successor);
            Assert.True(publishingAfter <= HandOverBound, $"publishing handed over within {Seconds(HandOverBound)}; it took {Seconds(publishingAfter)}");
            Assert.Empty(lost);
            Assert.Equal(recorded.Order(), handled.Order());
        }
        finally
        {
            foreach (var service in services)
            {
                await service.DisposeAsync();
            }
        }
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>Each instance connects under its own application name, so that the database says which holds what.</summary>
    private static string Named(string database, int instance) =>
        new NpgsqlConnectionStringBuilder(database) { ApplicationName = $"timeline-instance-{instance}" }.ConnectionString;

    /// <summary>
    /// The instance whose connection holds a session advisory lock other than Timeline's own (the append lock and the
    /// took-effect announcer's): the daemon's hot/cold leadership. Null while none or several do.
    /// </summary>
    private static async Task<int?> PublishingInstanceAsync(string database)
    {
        var holders = await Sql.ScalarAsync<string[]>(database, """
            select coalesce(array_agg(distinct a.application_name), '{}')
            from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'advisory' and l.granted and a.application_name like 'timeline-instance-%'
              and l.database = (select oid from pg_database where datname = current_database())
              and ((l.classid::bigint << 32) | l.objid::bigint) not in (
                hashtextextended('timeline.append:timeline', 0), hashtextextended('timeline.took-effect:timeline', 0))
            """);
        return holders.Length == 1 ? int.Parse(holders[0]["timeline-instance-".Length..], System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Whether every instance lists the same instruments, in the same states.</summary>
    private static async Task<bool> SameAnswersAsync(IEnumerable<ServiceProcess> services, string topic)
    {
        var answers = new List<string>();
        foreach (var service in services)
        {
            using var client = new HttpClient { BaseAddress = service.Address };
            var list = await client.GetJsonAsync($"/api/policies?topic={topic}&status=any");
            answers.Add(list.GetProperty("items").GetRawText());
        }

        return answers.Distinct(StringComparer.Ordinal).Count() == 1;
    }
}
