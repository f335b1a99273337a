using System.Diagnostics;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Timeline.Api.Database;
using Timeline.Api.Database.EmbeddedPostgres;
using Timeline.Api.ReadModel;
using Timeline.Api.Writing;
using Timeline.Benchmarks.Generation;
using Timeline.Benchmarks.Hosting;
using Timeline.Benchmarks.Measuring;
using Timeline.Benchmarks.Notifications;
using Timeline.Benchmarks.Results;

namespace Timeline.Benchmarks;

// The benchmark suite (docs/benchmarks.md, docs/performance.md):
//   dotnet run -c Release --project bench/Timeline.Benchmarks -- --events 10k|100k|1m|10m [--seed N]
// Each phase's figures are saved in the work directory as they are measured, so a stopped run, started again with
// the same arguments, resumes: the import after the last write stored, then the phases not yet measured.
/// <summary>The suite's entry point: the phases in order, each saved as it is measured.</summary>
internal static class Suite
{
    public static async Task<int> Main(string[] args)
    {
        var (parsed, exitCode) = BenchOptions.Parse(args);
        if (parsed is not { } options)
        {
            return exitCode;
        }

        if (options.FoldOnly)
        {
            var (rate, count, rows) = FoldThroughput.Run(options.Events, options.Seed);
            Console.WriteLine($"fold in memory, one core: {count:N0} events, {rows:N0} version rows, {rate:N0} events/s");
            return 0;
        }

        var root = FindRoot();
        var work = options.Work ?? Path.Combine(root, ".bench", $"{options.Size}-seed{options.Seed}");
        if (options.Fresh && Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        Directory.CreateDirectory(work);
        if (options.DiskCheck && DiskSpace.Shortfall(work, options.Events) is { } shortfall)
        {
            await Console.Error.WriteLineAsync(shortfall);
            return 2;
        }

        var outDirectory = options.Out ?? (options.Smoke ? Directory.CreateTempSubdirectory("timeline-bench-smoke-").FullName : Path.Combine(root, "docs"));
        var commit = Machine.Commit(root);
        var phases = await Phases.LoadAsync(Path.Combine(work, "phases.json"), commit);
        var total = Stopwatch.StartNew();
        Console.WriteLine($"Timeline benchmarks: {options.Events:N0} events, seed {options.Seed}, batches of {options.Batch} writes{(options.Smoke ? ", smoke run" : "")}");
        Console.WriteLine($"machine: {Machine.Describe()}; work directory {work}; results to {outDirectory}");

        await using var cluster = await LocalPostgresCluster.StartAsync(
            new LocalPostgresOptions
            {
                DataDirectory = Path.Combine(work, "postgres"),
                // pg_stat_statements: where the database's time goes, printed after the import (docs/performance.md).
                ServerSettings = new Dictionary<string, string> { ["shared_preload_libraries"] = "pg_stat_statements" },
            }, NullLogger.Instance, CancellationToken.None);
        var connectionString = await cluster.CreateDatabaseAsync("bench");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        var samples = options.Smoke ? 50 : 300;
        await using (var app = new InProcessService(connectionString))
        {
            _ = app.Server; // starts the host: the schema is applied
            var store = app.Services.GetRequiredService<IDocumentStore>();

            await phases.RunAsync("import", async figures =>
            {
                Console.WriteLine("== Bulk import through PolicyWriter.WriteBatchAsync");
                var import = await BulkImport.RunAsync(app.Services.GetRequiredService<PolicyWriter>(), dataSource, options.Events, options.Seed, options.Batch);
                phases.Set("events", await ScalarAsync<long>(dataSource, "select count(*) from timeline.mt_events"));
                phases.Set("writes", await ScalarAsync<long>(dataSource, "select count(distinct correlation_id) from timeline.mt_events"));
                if (import.ResumedAt > 0)
                {
                    phases.Notes.Add($"The import was resumed at write {import.ResumedAt:N0}; its rate is that of the part written by the last run.");
                }

                figures.Add(new Figure("bulk_events_per_second", "bulk import, read model and audit chain current", import.EventsPerSecond, "events/s", Target: ">= 10,000 events/s", Met: import.EventsPerSecond >= 10_000));
                Console.WriteLine($"  {import.Events:N0} events from {import.Writes:N0} writes in {import.Seconds:F1} s: {import.EventsPerSecond:N0} events/s ({import.WritingSeconds:F1} s in WriteBatchAsync, the rest generating)");
                // Kept for the references' phase, which sets them beside plain Marten's; in microseconds per 1,000 events.
                var (serviceCpu, databaseCpu) = import.Cpu.PerThousand(import.Events);
                phases.Set("import_service_cpu_us", (long)(serviceCpu * 1000));
                phases.Set("import_database_cpu_us", (long)(databaseCpu * 1000));
                Console.WriteLine($"  CPU per 1,000 events: the service {serviceCpu:N0} ms, PostgreSQL {databaseCpu:N0} ms");
                await Profile.TopStatementsAsync(dataSource, Path.Combine(work, "import-statements.txt"));
            });

            await phases.RunAsync("references", async figures =>
            {
                Console.WriteLine("== References for the import: raw binary COPY, plain Marten appends");
                var bulk = phases.Figure("bulk_events_per_second");
                var copy = await References.RawCopyRowsPerSecondAsync(dataSource);
                Console.WriteLine($"  raw binary COPY: {copy:N0} rows/s");
                var (peer, peerServiceCpu, peerDatabaseCpu) = await References.PlainMartenAppendsAsync(store, connectionString, options.Batch);
                Console.WriteLine($"  plain Marten Quick appends, no projection: {peer:N0} events/s; CPU per 1,000 events: the service {peerServiceCpu:N0} ms, PostgreSQL {peerDatabaseCpu:N0} ms");
                // Measured: their copies of the log would only take disk from the rebuild, which needs the most.
                await using (var drop = dataSource.CreateCommand("drop schema if exists peer cascade; drop table if exists bench.raw_events"))
                {
                    await drop.ExecuteNonQueryAsync();
                }

                figures.Add(new Figure("bulk_vs_copy", "bulk import against the limit", bulk, "events/s", "raw binary COPY of the same rows into a plain table", copy, $"{bulk / copy:P0} of COPY", ReferenceUnit: "rows/s"));
                figures.Add(new Figure("bulk_vs_marten", "bulk import against the peer", bulk, "events/s", $"plain Marten Quick appends, {options.Batch} events per SaveChanges, no projection", peer, $"{bulk / peer:P0} of Marten", ">= 60% of plain Marten", bulk >= 0.6 * peer));
                if (phases.Get("import_service_cpu_us") > 0)
                {
                    // What each side's work is, beside the peer's: the rate alone cannot say whether the import waits or works.
                    var serviceCpu = phases.Get("import_service_cpu_us") / 1000.0;
                    var databaseCpu = phases.Get("import_database_cpu_us") / 1000.0;
                    figures.Add(new Figure("bulk_service_cpu", "bulk import, the service's CPU per 1,000 events", serviceCpu, "ms", "plain Marten appends of the same events", peerServiceCpu, $"{serviceCpu / peerServiceCpu:F1}x the peer's"));
                    figures.Add(new Figure("bulk_database_cpu", "bulk import, PostgreSQL's CPU per 1,000 events", databaseCpu, "ms", "plain Marten appends of the same events", peerDatabaseCpu, $"{databaseCpu / peerDatabaseCpu:F1}x the peer's"));
                    var both = serviceCpu + databaseCpu;
                    phases.Notes.Add(
                        $"The import's CPU, the service's and PostgreSQL's together, was {both:N0} ms per 1,000 events (plain Marten's {peerServiceCpu + peerDatabaseCpu:N0} ms): " +
                        $"on {Environment.ProcessorCount} cores that allows at most {CoresAllow(both):N0} events/s with every core busy all the time; " +
                        $"10,000 events/s needs at most {Environment.ProcessorCount * 100:N0} ms.");
                }
            });

            await phases.RunAsync("rebuild", async figures =>
            {
                Console.WriteLine("== Read-model rebuild from the log");
                var raw = await References.RawSequentialReadEventsPerSecondAsync(dataSource);
                var (rate, seconds, events, cpu) = await Rebuild.RunAsync(app.Services.GetRequiredService<ReadModelRebuild>(), dataSource);
                var (serviceCpu, databaseCpu) = cpu.PerThousand(events);
                Console.WriteLine($"  rebuilt {events:N0} events in {seconds:F1} s: {rate:N0} events/s (raw sequential read {raw:N0} events/s); rows identical");
                Console.WriteLine($"  CPU per 1,000 events: the service {serviceCpu:N1} ms, PostgreSQL {databaseCpu:N1} ms");
                figures.Add(new Figure("rebuild_events_per_second", "read-model rebuild (rows identical)", rate, "events/s", "raw sequential read of mt_events", raw, $"{rate / raw:P1} of the read", ">= 20,000 events/s", rate >= 20_000));
                figures.Add(new Figure("rebuild_seconds", "read-model rebuild, whole log", seconds, "s"));
                // Whether the rebuild waits or works: on shared cores the rate alone cannot say.
                figures.Add(new Figure("rebuild_service_cpu", "read-model rebuild, the service's CPU per 1,000 events", serviceCpu, "ms"));
                figures.Add(new Figure("rebuild_database_cpu", "read-model rebuild, PostgreSQL's CPU per 1,000 events", databaseCpu, "ms"));
                var rebuildCpu = serviceCpu + databaseCpu;
                phases.Notes.Add(
                    $"The rebuild's CPU, the service's and PostgreSQL's together, was {rebuildCpu:N0} ms per 1,000 events: on {Environment.ProcessorCount} cores " +
                    $"that allows at most {CoresAllow(rebuildCpu):N0} events/s; it ran at {rate:N0} ({rate / CoresAllow(rebuildCpu):P0} of both cores busy).");
            });

            await phases.RunAsync("reads", async figures =>
            {
                Console.WriteLine("== Point-in-time reads over HTTP against the naive approach");
                await using var service = await ServiceProcess.StartAsync(root, connectionString);
                // The queries in process run on connections set up as the service's read pool sets up its own.
                await using var reads = NpgsqlDataSource.Create(ConnectionDefaults.ForReads(connectionString));
                var naiveBudget = TimeSpan.FromSeconds(options.Smoke ? 5 : 60);
                var runNaive = options.Events <= 2_000_000;
                foreach (var (key, name, topic) in new[] { ("list", "list in force, first page", (string?)null), ("list_topic", "list in force by topic, first page", SyntheticRecord.QueryTopic) })
                {
                    var read = await PointInTimeReads.ListAsync(service.Client, store, reads, topic, samples, naiveBudget, runNaive);
                    Console.WriteLine($"  {name}: HTTP {read.Fast}; SQL in process {read.Sql}; naive {read.Naive}");
                    figures.AddRange(Latency(key, name, read, "< 5 ms at 1m, >= 100x naive", 5, "< 20 ms at 1m", 20));
                    if (key == "list" && read.Naive.Count > 0)
                    {
                        figures.Add(new Figure("naive_list_p50", "naive list (live aggregation of every stream), p50", read.Naive.P50, "ms", Note: read.NaiveNote));
                    }

                    if (read.NaiveNote is { } note)
                    {
                        phases.Notes.Add($"{name}: {note}.");
                    }
                }

                foreach (var (key, name, fraction) in new[] { ("list_as_of_early", "list in force as of the record at 1 % of the log, first page", 0.01), ("list_as_of_half", "list in force as of the record at half the log, first page", 0.5) })
                {
                    var past = await PointInTimeReads.PastListAsync(service.Client, reads, fraction, null, samples);
                    Console.WriteLine($"  {name}: HTTP {past}");
                    figures.Add(new Figure($"{key}_p50", $"{name} over HTTP, p50", past.P50, "ms"));
                    figures.Add(new Figure($"{key}_p99", $"{name} over HTTP, p99", past.P99, "ms"));
                }

                var state = await PointInTimeReads.StateAsync(service.Client, store, reads, samples);
                Console.WriteLine($"  single state: HTTP {state.Fast}; SQL in process {state.Sql}; naive {state.Naive}");
                figures.AddRange(Latency("state", "single-instrument state", state with { NaiveNote = null }, "< 2 ms", 2, null, null));
                figures[^2] = figures[^2] with { Reference = "naive: Marten reads the one stream, folded" };

                Console.WriteLine("== HTTP throughput (wrk, loopback) and the service's memory");
                var ids = await PointInTimeReads.InForceIdsAsync(dataSource, 50);
                var paths = ids.Select(id => $"/api/policies/{id}?at={PointInTimeReads.At}")
                    .Concat([PointInTimeReads.ListPath(null), PointInTimeReads.ListPath(SyntheticRecord.QueryTopic)]).ToList();
                var load = await HttpLoad.MeasureAsync(
                    service.Address, paths, TimeSpan.FromSeconds(options.Smoke ? 2 : 30), TimeSpan.FromSeconds(options.Smoke ? 3 : 15), 32, service.ProcessId);
                var (_, peak) = service.ResidentMegabytes();
                if (load is { } measured)
                {
                    var requests = measured.RequestsPerSecond;
                    Console.WriteLine($"  {requests:N0} requests/s (CPU per request: service {measured.ServiceCpuMsPerRequest:F2} ms, PostgreSQL {measured.DatabaseCpuMsPerRequest:F2} ms); service peak resident memory {peak:N0} MiB");
                    figures.Add(new Figure("http_requests_per_second", "point-in-time requests over HTTP (wrk, 32 connections; states and list pages)", requests, "req/s", Target: ">= 3,000 req/s", Met: requests >= 3_000));
                    figures.Add(new Figure("http_service_cpu_per_request", "service CPU per request under that load", measured.ServiceCpuMsPerRequest, "ms"));
                    figures.Add(new Figure("http_database_cpu_per_request", "PostgreSQL CPU per request under that load", measured.DatabaseCpuMsPerRequest, "ms"));
                }
                else
                {
                    const string missing = "wrk is not installed (apt-get install wrk): HTTP throughput not measured.";
                    Console.WriteLine("  " + missing);
                    phases.Notes.Add(missing);
                }

                Console.WriteLine("== Audit log streaming and verification over HTTP");
                var (streamRate, verifyRate) = await AuditThroughput.RunAsync(service.Client);
                Console.WriteLine($"  streamed {streamRate:N0} events/s, verified {verifyRate:N0} events/s");
                figures.Add(new Figure("audit_stream_events_per_second", "audit log streamed (GET /api/audit/log)", streamRate, "events/s"));
                figures.Add(new Figure("audit_verify_events_per_second", "audit chain verified (GET /api/audit/verify)", verifyRate, "events/s"));

                Console.WriteLine("== Single writes over HTTP against a raw one-row INSERT and commit");
                var writes = await SingleWrites.RunAsync(service.Client, options.Smoke ? 40 : 200);
                var insert = await References.SingleRowInsertCommitAsync(dataSource, options.Smoke ? 40 : 200);
                Console.WriteLine($"  HTTP write {writes}; raw insert {insert}");
                figures.Add(new Figure("write_p50", "single write over HTTP, p50", writes.P50, "ms", "raw single-row INSERT + commit", insert.P50, $"{writes.P50 / insert.P50:F1}x the insert"));
                figures.Add(new Figure("write_p99", "single write over HTTP, p99", writes.P99, "ms", "raw single-row INSERT + commit", insert.P99, $"{writes.P99 / insert.P99:F1}x the insert"));
                (_, peak) = service.ResidentMegabytes();
                figures.Add(new Figure("service_peak_mb", "service peak resident memory (VmHWM) over reads, audit and writes", peak, "MiB", Target: "< 300 MiB", Met: peak < 300));
            });
        }

        if (options.Notifications)
        {
            await phases.RunAsync("notifications", async figures =>
            {
                Console.WriteLine("== Append-to-notification latency");
                var notifications = await NotificationLatency.RunAsync(Path.Combine(work, "notifications"), options.Smoke ? 50 : 300, 50, options.Smoke ? 100 : 500);
                foreach (var n in notifications)
                {
                    var limit = n.Transport == "rabbitmq" ? 250 : 150;
                    figures.Add(new Figure($"notify_{n.Transport}_p50", $"append to notification, {n.Transport}, p50", n.Latency.P50, "ms"));
                    figures.Add(new Figure($"notify_{n.Transport}_p99", $"append to notification, {n.Transport}, p99", n.Latency.P99, "ms", Target: $"< {limit} ms", Met: n.Latency.P99 < limit));
                    figures.Add(new Figure($"notify_{n.Transport}_backlog", $"notification backlog drained, {n.Transport}", n.BacklogPerSecond, "events/s"));
                }
            });
        }

        var result = new SizeResult(
            options.Size,
            phases.Get("events"),
            phases.Get("writes"),
            options.Seed,
            Machine.Now(),
            Machine.Describe(),
            commit,
            total.Elapsed.TotalMinutes,
            phases.AllFigures(),
            [.. phases.Notes, .. phases.ResumedNote() is { } resumed ? [resumed] : Array.Empty<string>(), .. options.Smoke ? ["Smoke run: short samples, not for comparison."] : Array.Empty<string>()]);
        await Report.WriteAsync(outDirectory, result);
        Console.WriteLine($"Results written to {outDirectory} in {total.Elapsed.TotalMinutes:F1} minutes.");

        if (!options.Keep)
        {
            await cluster.StopAsync();
            Directory.Delete(work, recursive: true);
        }

        return 0;
    }

    private static IEnumerable<Figure> Latency(string key, string name, ReadFigures read, string target50, double limit50, string? target99, double? limit99)
    {
        // The naive approach runs in this process: it is held against the read model's query in this process.
        var naive = read.Naive.Count > 0;
        var times = read.Naive.P50 / read.Sql.P50;
        var fastEnough = !naive || key == "state" || times >= 100;
        yield return new Figure($"{key}_p50", $"{name} over HTTP, p50", read.Fast.P50, "ms", Target: target50, Met: read.Fast.P50 < limit50 && fastEnough);
        yield return new Figure($"{key}_p99", $"{name} over HTTP, p99", read.Fast.P99, "ms", Target: target99, Met: limit99 is { } l ? read.Fast.P99 < l : null);
        yield return new Figure($"{key}_sql_p50", $"{name}, query in process, p50", read.Sql.P50, "ms", "naive: Marten reads every stream, folded, then filtered", naive ? read.Naive.P50 : null,
            naive ? Times(times) : null, Note: read.NaiveNote);
        yield return new Figure($"{key}_sql_p99", $"{name}, query in process, p99", read.Sql.P99, "ms", "naive", naive ? read.Naive.P99 : null, naive ? Times(read.Naive.P99 / read.Sql.P99) : null);
    }

    /// <summary>Events per second that <paramref name="cpuMsPerThousand"/> of CPU per 1,000 events allows with every core busy.</summary>
    private static double CoresAllow(double cpuMsPerThousand) => Environment.ProcessorCount * 1e6 / cpuMsPerThousand;

    private static string Times(double ratio) => ratio >= 1 ? $"{ratio:N1}x faster" : $"{1 / ratio:N1}x slower";

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Timeline.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmarks from within the repository.");
    }
}
