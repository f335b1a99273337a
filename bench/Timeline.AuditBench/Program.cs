using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Timeline.Api.Audit;
using Timeline.Api.Database.EmbeddedPostgres;

// dotnet run -c Release --project bench/Timeline.AuditBench -- [--events 1000000]
// Seeds a log of that many events in a throwaway PostgreSQL, chains it with the service's own chain code,
// then runs the service (Release build) and measures GET /api/audit/log and GET /api/audit/verify.
var events = args.SkipWhile(a => a != "--events").Skip(1).Select(a => int.Parse(a.Replace("k", "000", StringComparison.Ordinal).Replace("m", "000000", StringComparison.Ordinal), CultureInfo.InvariantCulture)).FirstOrDefault(1_000_000);
var root = FindRoot();
var workspace = Directory.CreateTempSubdirectory("timeline-auditbench-");
Console.WriteLine($"Audit benchmark: {events:N0} events, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
await using var cluster = await LocalPostgresCluster.StartAsync(
    new LocalPostgresOptions { DataDirectory = Path.Combine(workspace.FullName, "data") },
    NullLogger.Instance,
    CancellationToken.None);
var database = await cluster.CreateDatabaseAsync("auditbench");

// 1. The schema, made by the service itself (Marten applies it at start-up).
var service = await Service.StartAsync(root, database);
await service.DisposeAsync();

// 2. A synthetic log: 10 events per instrument, in record order.
var seeding = Stopwatch.StartNew();
await Seed(database, events);
Console.WriteLine($"seeded {events:N0} events by COPY in {seeding.Elapsed.TotalSeconds:F1} s");

// 3. The chain, computed by the write path's own code in batches.
var chaining = Stopwatch.StartNew();
await using (var dataSource = NpgsqlDataSource.Create(database))
{
    var tables = new AuditTables("timeline");
    var chain = new AuditChain(tables, new AuditLogReader(tables));
    int chained;
    do
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        chained = await chain.ExtendAsync(connection, transaction, 50_000, CancellationToken.None);
        await transaction.CommitAsync();
    }
    while (chained > 0);
}

var chainRate = events / chaining.Elapsed.TotalSeconds;
Console.WriteLine($"chained {events:N0} events in {chaining.Elapsed.TotalSeconds:F1} s: {chainRate:N0} events/s");

// 4. Streaming and verification through HTTP, with the service's memory sampled while it streams.
await using (service = await Service.StartAsync(root, database))
{
    var idle = service.ResidentMegabytes();
    using var sampler = new CancellationTokenSource();
    var peak = 0.0;
    var sampling = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (await timer.WaitForNextTickAsync(sampler.Token).ConfigureAwait(false))
        {
            peak = Math.Max(peak, service.ResidentMegabytes());
        }
    });
    var streaming = Stopwatch.StartNew();
    long lines = 0, bytes = 0;
    using (var response = await service.Client.GetAsync(new Uri("/api/audit/log", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead))
    {
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }
    }

    streaming.Stop();
    await sampler.CancelAsync();
    await sampling.ContinueWith(_ => { }, TaskScheduler.Default);

    var verifying = Stopwatch.StartNew();
    var verified = await service.Client.GetStringAsync(new Uri("/api/audit/verify", UriKind.Relative));
    verifying.Stop();

    Console.WriteLine($"streamed {lines:N0} lines ({bytes / 1048576.0:N0} MiB) in {streaming.Elapsed.TotalSeconds:F1} s: {lines / streaming.Elapsed.TotalSeconds:N0} events/s, {bytes / 1048576.0 / streaming.Elapsed.TotalSeconds:N1} MiB/s");
    Console.WriteLine($"service memory: {idle:N0} MiB resident before streaming, {peak:N0} MiB at most while streaming");
    Console.WriteLine($"verified in {verifying.Elapsed.TotalSeconds:F1} s: {events / verifying.Elapsed.TotalSeconds:N0} events/s -> {verified}");
}

workspace.Delete(recursive: true);
return 0;

static async Task Seed(string database, int count)
{
    await using var connection = new NpgsqlConnection(database);
    await connection.OpenAsync();
    var instruments = Math.Max(1, count / 10);
    var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    await using (var streams = await connection.BeginBinaryImportAsync("copy timeline.mt_streams (id, version, \"timestamp\", created) from stdin (format binary)"))
    {
        for (var i = 0; i < instruments; i++)
        {
            await streams.WriteRowAsync(CancellationToken.None, $"us-bench-{i:D7}", 10L, start, start);
        }

        await streams.CompleteAsync();
    }

    await using (var writer = await connection.BeginBinaryImportAsync(
        "copy timeline.mt_events (seq_id, id, stream_id, version, data, type, \"timestamp\", user_name, correlation_id, causation_id) from stdin (format binary)"))
    {
        for (var sequence = 1; sequence <= count; sequence++)
        {
            var instrument = $"us-bench-{(sequence - 1) % instruments:D7}";
            var version = ((sequence - 1) / instruments) + 1;
            var effective = start.AddDays(sequence % 700).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var (type, data) = version == 1
                ? ("issued", $$"""{"kind":"rule","title":"Benchmark rule {{instrument}}","topics":["export-controls","ai"],"policyId":"{{instrument}}","rescinds":[],"timeZone":"America/New_York","provisions":{"fee.usd":100000,"destinations":["CN","MO"]},"supersedes":[],"effectiveAt":"{{effective}}","jurisdiction":"US","citation":"90 FR {{sequence}}"}""")
                : ("amended", $$"""{"set":{"threshold":{{version * 1000}}},"remove":[],"policyId":"{{instrument}}","effectiveAt":"{{effective}}","summary":"Raises the threshold to {{version * 1000}}"}""");
            await writer.StartRowAsync();
            await writer.WriteAsync((long)sequence, NpgsqlDbType.Bigint);
            await writer.WriteAsync(Guid.CreateVersion7(start.AddSeconds(sequence)), NpgsqlDbType.Uuid);
            await writer.WriteAsync(instrument, NpgsqlDbType.Varchar);
            await writer.WriteAsync((long)version, NpgsqlDbType.Bigint);
            await writer.WriteAsync(data, NpgsqlDbType.Jsonb);
            await writer.WriteAsync(type, NpgsqlDbType.Varchar);
            await writer.WriteAsync(start.AddSeconds(sequence), NpgsqlDbType.TimestampTz);
            await writer.WriteAsync("bench", NpgsqlDbType.Varchar);
            await writer.WriteAsync("bench-correlation", NpgsqlDbType.Varchar);
            await writer.WriteAsync("bench-cause", NpgsqlDbType.Varchar);
        }

        await writer.CompleteAsync();
    }

    await using var sequenceCommand = new NpgsqlCommand($"select setval('timeline.mt_events_sequence', {count}); analyze timeline.mt_events;", connection);
    await sequenceCommand.ExecuteNonQueryAsync();
}

static string FindRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Timeline.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run the benchmark from within the repository.");
}

/// <summary>The service as its own process, so its memory can be read from /proc.</summary>
internal sealed class Service : IAsyncDisposable
{
    private readonly Process _process;

    private Service(Process process, HttpClient client)
    {
        _process = process;
        Client = client;
    }

    public HttpClient Client { get; }

    public static async Task<Service> StartAsync(string root, string database)
    {
        var port = FreeTcpPort.OnLoopback();
        var dll = Path.Combine(root, "src", "Timeline.Api", "bin", "Release", "net10.0", "Timeline.Api.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"Build the service first: dotnet build -c Release ({dll} is missing).");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ConnectionStrings__Timeline"] = database;
        start.Environment["TIMELINE_API_KEY"] = "bench";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromHours(1) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.IsSuccessStatusCode)
                {
                    return new Service(process, client);
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromMinutes(5) && !process.HasExited)
            {
            }

            if (process.HasExited || deadline.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new InvalidOperationException("The service did not become ready.");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Resident set size from /proc: what the service holds in memory now.</summary>
    public double ResidentMegabytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
