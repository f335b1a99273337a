using System.Diagnostics;
using Timeline.Testing;

namespace Timeline.NotificationBench;

// Append-to-consumer latency and publishing throughput of change notifications on this machine.
//   dotnet run -c Release --project bench/Timeline.NotificationBench [-- --events 2000 --rate 100 --backlog 5000 --transport both]
// Needs the PostgreSQL 15 server binaries, and for RabbitMQ either rabbitmq-server installed (a temporary node is
// started) or --rabbitmq amqp://user:password@host:5672/.

/// <summary>The entry point: each transport in turn, then everything it started is stopped and deleted.</summary>
internal static class Bench
{
    public static async Task<int> Main(string[] args)
    {
        var options = BenchOptions.Parse(args);
        var root = Directory.CreateTempSubdirectory("timeline-bench-").FullName;
        LocalRabbitMqNode? node = null;
        try
        {
            Console.WriteLine($"Timeline notification benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {options.Events} paced writes at {options.WritesPerSecond}/s, backlog {options.Backlog}");
            Console.WriteLine("Latency is from an event's record time (stamped in its append transaction) to its arrival at the consumer; 'request' is from the start of the HTTP write.");
            if (options.Memory)
            {
                await Scenario.RunAsync("in-memory", Path.Combine(root, "memory"), null, options);
            }

            if (options.RabbitMq)
            {
                var uri = options.RabbitMqUri;
                if (uri is null)
                {
                    var server = LocalRabbitMqNode.FindServer()
                        ?? throw new InvalidOperationException("No rabbitmq-server here: apt-get install rabbitmq-server, or pass --rabbitmq amqp://user:password@host:5672/.");
                    node = await LocalRabbitMqNode.StartAsync(server, CancellationToken.None);
                    uri = node.Uri;
                    Console.WriteLine($"RabbitMQ: a temporary node from {server} on port {node.Port}");
                }

                await Scenario.RunAsync("rabbitmq", Path.Combine(root, "rabbitmq"), uri, options);
            }

            return 0;
        }
        finally
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }

            // The embedded PostgreSQL clusters stopped with their hosts.
            Directory.Delete(root, recursive: true);
        }
    }
}

/// <summary>One transport: warm up, paced writes for latency, then a paused backlog released at once for throughput.</summary>
internal static class Scenario
{
    private const int Instruments = 200;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    public static async Task RunAsync(string label, string dataDirectory, Uri? rabbitMq, BenchOptions options)
    {
        BenchHost.Received.Clear();
        await using var host = await BenchHost.StartAsync(dataDirectory, rabbitMq);

        // Warm up: the instruments the paced writes amend, and a first round of amendments.
        var warmUp = new List<Guid>();
        for (var i = 0; i < Instruments; i++)
        {
            warmUp.Add((await host.WriteAsync("/api/policies", Issue($"bench-{i}"))).EventId);
        }

        for (var i = 0; i < Instruments; i++)
        {
            warmUp.Add((await host.WriteAsync($"/api/policies/bench-{i}/amendments", Amendment(-1))).EventId);
        }

        await WaitForAsync(warmUp);

        // Latency: one write at a time at a steady rate, spread over the instruments.
        var written = new List<(Guid EventId, DateTimeOffset RecordedAt, DateTimeOffset RequestedAt)>(options.Events);
        var pace = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1.0 / options.WritesPerSecond);
        for (var i = 0; i < options.Events; i++)
        {
            var due = interval * i - pace.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var requestedAt = DateTimeOffset.UtcNow;
            var (eventId, recordedAt) = await host.WriteAsync($"/api/policies/bench-{i % Instruments}/amendments", Amendment(i));
            written.Add((eventId, recordedAt, requestedAt));
        }

        await WaitForAsync(written.Select(w => w.EventId));
        Console.WriteLine($"{label,-10} latency  record -> consumer:  {Stats.Summary(written.Select(w => (BenchHost.Received[w.EventId] - w.RecordedAt).TotalMilliseconds))}");
        Console.WriteLine($"{label,-10} latency  request -> consumer: {Stats.Summary(written.Select(w => (BenchHost.Received[w.EventId] - w.RequestedAt).TotalMilliseconds))}");

        // Throughput: the publisher paused while a backlog is written, then released.
        await host.Daemon.PauseAsync();
        var backlog = await WriteBacklogAsync(host, options.Backlog);
        var released = Stopwatch.StartNew();
        await host.Daemon.ResumeAsync();
        await WaitForAsync(backlog);
        var seconds = released.Elapsed.TotalSeconds;
        Console.WriteLine($"{label,-10} throughput: a backlog of {backlog.Count} events reached the consumer in {seconds:F2} s: {backlog.Count / seconds:F0} events/s");
    }

    /// <summary>New instruments with a few amendments each, from four writers at once.</summary>
    private static async Task<List<Guid>> WriteBacklogAsync(BenchHost host, int events)
    {
        const int EventsPerInstrument = 5;
        var instruments = events / EventsPerInstrument;
        var ids = await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            var mine = new List<Guid>();
            for (var i = writer; i < instruments; i += 4)
            {
                mine.Add((await host.WriteAsync("/api/policies", Issue($"backlog-{i}"))).EventId);
                for (var n = 1; n < EventsPerInstrument; n++)
                {
                    mine.Add((await host.WriteAsync($"/api/policies/backlog-{i}/amendments", Amendment(n))).EventId);
                }
            }

            return mine;
        })));
        return [.. ids.SelectMany(list => list)];
    }

    private static async Task WaitForAsync(IEnumerable<Guid> eventIds)
    {
        var waiting = eventIds.ToList();
        var deadline = Stopwatch.StartNew();
        while (waiting.Any(id => !BenchHost.Received.ContainsKey(id)))
        {
            if (deadline.Elapsed > Deadline)
            {
                throw new TimeoutException($"{waiting.Count(id => !BenchHost.Received.ContainsKey(id))} of {waiting.Count} events did not reach the consumer in {Deadline}.");
            }

            await Task.Delay(5);
        }
    }

    private static object Issue(string id) => new
    {
        id,
        kind = "rule",
        title = $"Benchmark instrument {id}",
        jurisdiction = "US",
        topics = new[] { "export-controls", "bench" },
        effectiveAt = "2020-01-01",
    };

    private static Dictionary<string, object> Amendment(int n) => new Dictionary<string, object>
    {
        ["effectiveAt"] = "2021-01-01",
        ["set"] = new Dictionary<string, object> { ["bench.n"] = n },
    };
}
