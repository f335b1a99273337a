using System.Globalization;

namespace Timeline.Benchmarks;

/// <summary>
/// <c>--events 10k|100k|1m|10m</c> (or a number), <c>--seed N</c>, <c>--batch N</c> (writes per import batch),
/// <c>--smoke</c> (short runs, results to a temporary directory: CI), <c>--out DIR</c> (default docs/),
/// <c>--work DIR</c> (the database, kept between runs to resume; default .bench/), <c>--fresh</c>, <c>--keep</c>,
/// <c>--skip-notifications</c>, <c>--skip-disk-check</c>; <c>--fold-only</c> (the read model's fold in memory, no database).
/// </summary>
public sealed record BenchOptions(long Events, string Size, int Seed, int Batch, bool Smoke, string? Out, string? Work, bool Fresh, bool Keep, bool Notifications, bool DiskCheck = true)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        var size = Value("--events") ?? "10k";
        var events = size.ToLowerInvariant() switch
        {
            var s when s.EndsWith('k') => long.Parse(s[..^1], CultureInfo.InvariantCulture) * 1_000,
            var s when s.EndsWith('m') => long.Parse(s[..^1], CultureInfo.InvariantCulture) * 1_000_000,
            var s => long.Parse(s, CultureInfo.InvariantCulture),
        };
        return new BenchOptions(
            events,
            size.ToLowerInvariant(),
            int.Parse(Value("--seed") ?? "7", CultureInfo.InvariantCulture),
            int.Parse(Value("--batch") ?? "1000", CultureInfo.InvariantCulture),
            args.Contains("--smoke"),
            Value("--out"),
            Value("--work"),
            args.Contains("--fresh"),
            args.Contains("--keep"),
            !args.Contains("--skip-notifications"),
            !args.Contains("--skip-disk-check"));
    }
}
