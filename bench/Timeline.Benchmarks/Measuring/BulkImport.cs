using System.Diagnostics;
using Npgsql;
using Timeline.Api.Writing;
using Timeline.Benchmarks.Generation;

namespace Timeline.Benchmarks.Measuring;

/// <summary>
/// What the import wrote and how fast: events per second with the read model and the audit chain kept current, and the
/// CPU the writer's calls cost this process and PostgreSQL (<see cref="CpuMeter"/>).
/// </summary>
public sealed record ImportFigures(long Writes, long Events, double Seconds, long ResumedAt, double WritingSeconds, CpuMeter Cpu)
{
    /// <summary>Events per second spent in the writer: generating the synthetic record is not the import's cost.</summary>
    public double EventsPerSecond => Events / WritingSeconds;
}

/// <summary>
/// Writes the synthetic record through <see cref="PolicyWriter.WriteBatchAsync"/>, a batch at a time, with a
/// progress line. Resumable: each write carries its number as correlation id, so a run that was stopped starts
/// again after the last write the store holds.
/// </summary>
public static class BulkImport
{
    public const string RecordedBy = "bench";

    public static async Task<ImportFigures> RunAsync(PolicyWriter writer, NpgsqlDataSource dataSource, long events, int seed, int batchSize)
    {
        var resumeAfter = await LastWrittenAsync(dataSource);
        if (resumeAfter >= 0)
        {
            Console.WriteLine($"  resuming after write {resumeAfter:N0}");
        }

        var targets = new Dictionary<long, Guid>();
        var batch = new List<BenchWrite>(batchSize);
        long writes = 0, written = 0, total = 0;
        var clock = Stopwatch.StartNew();
        var writing = new Stopwatch();
        var cpu = new CpuMeter();
        var lastReport = TimeSpan.Zero;
        foreach (var (write, count) in SyntheticRecord.Generate(events, seed))
        {
            total += count;
            if (write.Number <= resumeAfter)
            {
                continue;
            }

            batch.Add(write);
            written += count;
            if (batch.Count == batchSize)
            {
                cpu.Start();
                writing.Start();
                writes += await WriteAsync(writer, dataSource, batch, targets);
                writing.Stop();
                cpu.Stop();
                if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(5))
                {
                    lastReport = clock.Elapsed;
                    Progress(total, events, written, clock.Elapsed);
                }
            }
        }

        cpu.Start();
        writing.Start();
        writes += await WriteAsync(writer, dataSource, batch, targets);
        writing.Stop();
        cpu.Stop();
        Progress(total, events, written, clock.Elapsed);
        Console.WriteLine();
        return new ImportFigures(writes, written, clock.Elapsed.TotalSeconds, resumeAfter + 1, writing.Elapsed.TotalSeconds, cpu);
    }

    private static void Progress(long done, long events, long written, TimeSpan elapsed)
    {
        var width = 30;
        var filled = (int)Math.Min(width, width * done / Math.Max(1, events));
        Console.Write($"\r  [{new string('#', filled)}{new string('.', width - filled)}] {done:N0}/{events:N0} events, {written / elapsed.TotalSeconds:N0} events/s   ");
    }

    private static async Task<long> WriteAsync(PolicyWriter writer, NpgsqlDataSource dataSource, List<BenchWrite> batch, Dictionary<long, Guid> targets)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        var items = new List<BatchItem>(batch.Count);
        foreach (var write in batch)
        {
            Guid? corrected = write.CorrectsWrite is not { } target ? null : targets.TryGetValue(target, out var id) ? id : await StoredEventIdAsync(dataSource, target);
            var marker = Marker(write.Number);
            items.Add(new BatchItem(write.ToCommand(corrected), new WriteConditions(RecordedBy, marker, marker)));
        }

        var outcome = await writer.WriteBatchAsync(items, CancellationToken.None);
        if (outcome.Rejection is { } rejection)
        {
            var refused = batch[outcome.RefusedIndex ?? 0];
            throw new InvalidOperationException($"Write {refused.Number} ({refused.Write} {refused.PolicyId}) was refused: {rejection.Detail}");
        }

        // Amendments may be corrected later: keep the ids of their events.
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Write == "amend")
            {
                targets[batch[i].Number] = outcome.Items[i].Result!.EventIds[0];
            }
        }

        var count = batch.Count;
        batch.Clear();
        return count;
    }

    private static string Marker(long number) => $"bench:{number}";

    /// <summary>The number of the last write the store holds, or -1.</summary>
    private static async Task<long> LastWrittenAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            "select correlation_id from timeline.mt_events where correlation_id like 'bench:%' order by seq_id desc limit 1");
        return await command.ExecuteScalarAsync() is string marker ? long.Parse(marker["bench:".Length..], System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    /// <summary>After a resume, a corrected event written by an earlier run.</summary>
    private static async Task<Guid> StoredEventIdAsync(NpgsqlDataSource dataSource, long number)
    {
        await using var command = dataSource.CreateCommand("select id from timeline.mt_events where correlation_id = $1 order by seq_id limit 1");
        command.Parameters.Add(new NpgsqlParameter { Value = Marker(number) });
        return (Guid)(await command.ExecuteScalarAsync())!;
    }
}
