using System.Diagnostics;
using Npgsql;
using Timeline.Api.ReadModel;

namespace Timeline.Benchmarks.Measuring;

/// <summary>The read model thrown away and rebuilt from the log by the service's own rebuild; the rows must come back identical.</summary>
public static class Rebuild
{
    /// <summary>The rebuild's rate, its time and the events it read, and the CPU it cost this process and PostgreSQL.</summary>
    public static async Task<(double EventsPerSecond, double Seconds, long Events, CpuMeter Cpu)> RunAsync(ReadModelRebuild rebuild, NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(rebuild);
        var before = await DigestAsync(dataSource);
        var events = await ScalarAsync<long>(dataSource, "select count(*) from timeline.mt_events");
        var cpu = new CpuMeter();
        cpu.Start();
        var clock = Stopwatch.StartNew();
        await rebuild.RunAsync(TimeSpan.FromHours(6), CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        cpu.Stop();
        var after = await DigestAsync(dataSource);
        if (before != after)
        {
            throw new InvalidOperationException($"The rebuilt read model differs from the one the writes kept: {before} before, {after} after.");
        }

        return (events / seconds, seconds, events, cpu);
    }

    // Each row's hash, gathered in 256 buckets by its first two hex digits, each bucket hashed, then the buckets' hashes:
    // one string of every row's hash outgrew PostgreSQL's 1 GB limit on a value at 10m events (34 million version rows).
    private static async Task<string> DigestAsync(NpgsqlDataSource dataSource) =>
        await ScalarAsync<string>(dataSource, Digest("timeline.policy_versions")) + "/" + await ScalarAsync<string>(dataSource, Digest("timeline.policy_changes"));

    private static string Digest(string table) =>
        "select md5(coalesce(string_agg(bucket, '' order by prefix), '')) from (" +
        "select left(h, 2) prefix, md5(string_agg(h, '' order by h)) bucket " +
        $"from (select md5(t::text) h from {table} t) rows group by 1) buckets";

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
