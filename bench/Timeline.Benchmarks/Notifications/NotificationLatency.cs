using System.Diagnostics;
using Timeline.Benchmarks.Measuring;
using Timeline.Testing;

namespace Timeline.Benchmarks.Notifications;

/// <summary>Append-to-consumer latency of one transport, and the rate at which a paused backlog drained.</summary>
public sealed record NotificationFigures(string Transport, Percentiles Latency, double BacklogPerSecond);

/// <summary>
/// Append-to-notification latency, in memory and over RabbitMQ (moved from the former NotificationBench): the
/// service as <c>dotnet run</c> starts it (its own PostgreSQL, fsync on) with a consumer, paced single writes,
/// then a backlog written while the publisher is paused and released at once. Latency runs from an event's
/// record time (stamped in its append transaction) to its arrival at the consumer.
/// </summary>
public static class NotificationLatency
{
    private const int Instruments = 50;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    /// <summary>Both transports; RabbitMQ only where a broker can be started (a temporary node from rabbitmq-server).</summary>
    public static async Task<List<NotificationFigures>> RunAsync(string workspace, int writes, int writesPerSecond, int backlog)
    {
        var figures = new List<NotificationFigures> { await RunAsync("in-memory", Path.Combine(workspace, "memory"), null, writes, writesPerSecond, backlog) };
        var server = LocalRabbitMqNode.FindServer();
        if (server is null)
        {
            Console.WriteLine("  RabbitMQ: no rabbitmq-server here (apt-get install rabbitmq-server); not measured");
            return figures;
        }

        await using var node = await LocalRabbitMqNode.StartAsync(server, CancellationToken.None);
        figures.Add(await RunAsync("rabbitmq", Path.Combine(workspace, "rabbitmq"), node.Uri, writes, writesPerSecond, backlog));
        return figures;
    }

    private static async Task<NotificationFigures> RunAsync(string label, string dataDirectory, Uri? rabbitMq, int writes, int writesPerSecond, int backlogSize)
    {
        NotificationHost.Received.Clear();
        await using var host = await NotificationHost.StartAsync(dataDirectory, rabbitMq);

        // Warm up: the instruments the paced writes amend.
        var warmUp = new List<Guid>();
        for (var i = 0; i < Instruments; i++)
        {
            warmUp.Add((await host.WriteAsync("/api/policies", Issue($"bench-{i}"))).EventId);
        }

        await WaitForAsync(warmUp);

        // Latency: one write at a time at a steady rate, spread over the instruments.
        var written = new List<(Guid EventId, DateTimeOffset RecordedAt)>(writes);
        var pace = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1.0 / writesPerSecond);
        for (var i = 0; i < writes; i++)
        {
            var due = (interval * i) - pace.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            written.Add(await host.WriteAsync($"/api/policies/bench-{i % Instruments}/amendments", Amendment(i)));
        }

        await WaitForAsync(written.Select(w => w.EventId));
        var latency = Percentiles.Of(written.Select(w => (NotificationHost.Received[w.EventId] - w.RecordedAt).TotalMilliseconds));
        Console.WriteLine($"  {label}: record -> consumer {latency}");

        // Throughput: the publisher paused while a backlog is written, then released.
        await host.Daemon.PauseAsync();
        var backlog = new List<Guid>(backlogSize);
        for (var i = 0; i < backlogSize; i++)
        {
            backlog.Add((await host.WriteAsync($"/api/policies/bench-{i % Instruments}/amendments", Amendment(-i))).EventId);
        }

        var released = Stopwatch.StartNew();
        await host.Daemon.ResumeAsync();
        await WaitForAsync(backlog);
        var rate = backlog.Count / released.Elapsed.TotalSeconds;
        Console.WriteLine($"  {label}: a backlog of {backlog.Count} events drained at {rate:N0} events/s");
        return new NotificationFigures(label, latency, rate);
    }

    private static async Task WaitForAsync(IEnumerable<Guid> eventIds)
    {
        var waiting = eventIds.ToList();
        var deadline = Stopwatch.StartNew();
        while (waiting.Any(id => !NotificationHost.Received.ContainsKey(id)))
        {
            if (deadline.Elapsed > Deadline)
            {
                throw new TimeoutException($"{waiting.Count(id => !NotificationHost.Received.ContainsKey(id))} of {waiting.Count} events did not reach the consumer in {Deadline}.");
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

    private static Dictionary<string, object> Amendment(int n) => new()
    {
        ["effectiveAt"] = "2021-01-01",
        ["set"] = new Dictionary<string, object> { ["bench.n"] = n },
    };
}
