using System.Net.Http.Json;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Notifications;

/// <summary>
/// The publishing service as its own process, killed with SIGKILL while it publishes a stream of writes, then started
/// again: every recorded event reaches the subscriber at least once, and the deduplicating subscriber writes each once.
/// </summary>
public sealed class CrashTests(PostgresServer postgres, RabbitMqBroker broker) : IDisposable
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(90);
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task Killed_mid_stream_and_restarted_the_service_loses_nothing_and_the_subscriber_writes_each_change_once()
    {
        var rabbitMq = await broker.SharedAsync();
        var database = await postgres.CreateDatabaseAsync("timeline_crash");
        var topic = $"crash-{Guid.NewGuid().ToString("N")[..8]}";
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Timeline"] = database,
            ["Timeline__Bus__RabbitMq"] = rabbitMq.ToString(),
            ["Timeline__ApiKeys__0__Name"] = TimelineHost.KeyName,
            ["Timeline__ApiKeys__0__Key"] = TimelineHost.ApiKey,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        await using var subscriber = await SubscriberHost.StartAsync(rabbitMq, $"test-{topic}", [$"*.{topic}.#"], _directory.Combine("journal.ndjson"));

        var service = await ServiceProcess.StartAsync(settings);
        try
        {
            using var writing = new CancellationTokenSource();
            var writer = new Writer(service.Address, topic);
            var writes = Task.Run(() => writer.RunAsync(writing.Token), TestContext.Current.CancellationToken);

            // Mid-stream: the subscriber is receiving and the writer is still writing.
            await Eventually.HoldsAsync(() => subscriber.Journal.Count >= 40, Delivery, () => $"40 changes delivered before the kill; {subscriber.Journal.Count} so far");
            await service.KillAsync();
            var killedAfter = writer.Succeeded;
            // The unlucky moment, every time: killed after publishing a page and before storing its checkpoint.
            var rewound = await RewindCheckpointAsync(database, events: 10);

            await service.DisposeAsync();
            service = await ServiceProcess.StartAsync(settings);
            writer.MoveTo(service.Address);
            await Eventually.HoldsAsync(() => writer.Succeeded >= killedAfter + 40, Delivery, () => "40 more writes after the restart");
            await writing.CancelAsync();
            await writes;

            var recorded = await RecordedEventIdsAsync(database);
            await subscriber.WaitForAsync(recorded, Delivery);
            var handled = subscriber.Lines().Select(line => line.GetProperty("messageId").GetGuid()).ToList();
            Assert.Equal(recorded.Order(), handled.Order()); // every recorded event, each written once
            Assert.True(subscriber.Journal.DuplicatesSkipped >= rewound, $"the {rewound} events published again after the restart came as redeliveries");
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{recorded.Count} events, {writer.Failed} writes failed around the kill, {subscriber.Journal.DuplicatesSkipped} redeliveries skipped by the subscriber");
        }
        finally
        {
            await service.DisposeAsync();
        }
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>Moves the publisher's stored position back, as if its last pages were published but not checkpointed.</summary>
    private static async Task<long> RewindCheckpointAsync(string database, int events)
    {
        var shard = $"{Timeline.Api.Notifications.ChangePublisher.SubscriptionName}:All";
        var published = await Sql.ScalarAsync<long>(database, $"select last_seq_id from timeline.mt_event_progression where name = '{shard}'");
        var rewound = Math.Min(events, published);
        await Sql.ExecuteAsync(database, $"update timeline.mt_event_progression set last_seq_id = {published - rewound} where name = '{shard}'");
        return rewound;
    }

    private static async Task<List<Guid>> RecordedEventIdsAsync(string database)
    {
        var ids = await Sql.ScalarAsync<Guid[]>(database, "select coalesce(array_agg(id order by seq_id), '{}') from timeline.mt_events");
        return [.. ids];
    }

    /// <summary>
    /// Writes one change after another to the service at its current address. A write the kill cuts off is tried again
    /// once the service is back (it may have been recorded already: an issue then answers 409, an amendment repeats).
    /// </summary>
    private sealed class Writer(Uri address, string topic)
    {
        private readonly TaskCompletionSource _moved = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private HttpClient _client = Client(address);
        private int _succeeded;
        private int _failed;

        public int Succeeded => Volatile.Read(ref _succeeded);

        public int Failed => Volatile.Read(ref _failed);

        public void MoveTo(Uri newAddress)
        {
            Interlocked.Exchange(ref _client, Client(newAddress)).Dispose();
            _moved.TrySetResult();
        }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var i = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                var instrument = $"us-{topic}-{i % 10}";
                var issue = i < 10;
                object body = issue ? Issue(instrument, "2024-01-01", ("topics", new[] { topic })) : new { effectiveAt = "2024-06-01", set = new { n = i } };
                try
                {
                    // Stopping lets the write in flight finish: cut off, it could still commit after the test has read
                    // the log, and the subscriber would then hold an event the test did not expect.
                    using var response = await Volatile.Read(ref _client).PostAsJsonAsync(
                        issue ? "/api/policies" : $"/api/policies/{instrument}/amendments", body, TimelineApp.Json, TestContext.Current.CancellationToken);
                    Assert.True(
                        response.IsSuccessStatusCode || (issue && response.StatusCode == System.Net.HttpStatusCode.Conflict),
                        $"write {i} answered {(int)response.StatusCode}");
                    Interlocked.Increment(ref _succeeded);
                    i++;
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    // Down: the same write again once it is back.
                    Interlocked.Increment(ref _failed);
                    await _moved.Task.WaitAsync(TestContext.Current.CancellationToken);
                }
            }
        }

        private static HttpClient Client(Uri address)
        {
            var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            client.DefaultRequestHeaders.Add("X-Api-Key", TimelineHost.ApiKey);
            return client;
        }
    }
}
