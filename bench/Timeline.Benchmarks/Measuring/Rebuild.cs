using System.Diagnostics;
using Npgsql;
using Timeline.Api.ReadModel;

namespace Timeline.Benchmarks.Measuring;

/// <summary>The read model thrown away and rebuilt from the log by the service's own rebuild; the rows must come back identical.</summary>
public static class Rebuild
{
    public static async Task<(double EventsPerSecond, double Seconds, long Events)> RunAsync(ReadModelRebuild rebuild, NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(rebuild);
        var before = await DigestAsync(dataSource);
        var events = await ScalarAsync<long>(dataSource, "select count(*) from timeline.mt_events");
        var clock = Stopwatch.StartNew();
        await rebuild.RunAsync(TimeSpan.FromHours(6), CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        var after = await DigestAsync(dataSource);
        if (before != after)
        {
            throw new InvalidOperationException($"The rebuilt read model differs from the one the writes kept: {before} before, {after} after.");
        }

        return (events / seconds, seconds, events);
    }

    private static async Task<string> DigestAsync(NpgsqlDataSource dataSource) =>
        await ScalarAsync<string>(dataSource, "select md5(coalesce(string_agg(h, '' order by h), '')) from (select md5(t::text) h from timeline.policy_versions t) rows") + "/" +
        await ScalarAsync<string>(dataSource, "select md5(coalesce(string_agg(h, '' order by h), '')) from (select md5(t::text) h from timeline.policy_changes t) rows");

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
