using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Timeline.Benchmarks;

/// <summary>The suite's command line (<c>--help</c> lists it); a malformed one is a usage error, never a run of the wrong size.</summary>
public sealed record BenchOptions(
    long Events, string Size, int Seed, int Batch, bool Smoke, string? Out, string? Work, bool Fresh, bool Keep, bool Notifications, bool DiskCheck, bool FoldOnly)
{
    private static readonly Option<string> SizeOption = new("--events")
    {
        Description = "How many events to generate and measure: 10k, 100k, 1m, 10m, or a number.",
        DefaultValueFactory = _ => "10k",
        Validators = { result => Check(result, ParseSize(result.GetValueOrDefault<string>()) is null ? "is not a size such as 10k, 1m or 250000" : null) },
    };

    private static readonly Option<int> SeedOption = new("--seed") { Description = "The synthetic record's seed.", DefaultValueFactory = _ => 7 };

    private static readonly Option<int> BatchOption = new("--batch")
    {
        Description = "Writes per import batch.",
        DefaultValueFactory = _ => 1_000,
        Validators = { result => Check(result, result.GetValueOrDefault<int>() < 1 ? "must be at least 1" : null) },
    };

    private static readonly Option<bool> SmokeOption = new("--smoke") { Description = "Short samples, results to a temporary directory (what CI runs)." };
    private static readonly Option<string?> OutOption = new("--out") { Description = "Where benchmarks.md, .json and the growth plot go (default docs/)." };
    private static readonly Option<string?> WorkOption = new("--work") { Description = "The run's database and saved phases, kept to resume (default .bench/<size>-seed<N>/)." };
    private static readonly Option<bool> FreshOption = new("--fresh") { Description = "Start over instead of resuming." };
    private static readonly Option<bool> KeepOption = new("--keep") { Description = "Keep the work directory after the run." };
    private static readonly Option<bool> SkipNotificationsOption = new("--skip-notifications") { Description = "Do not measure notification latency." };
    private static readonly Option<bool> SkipDiskCheckOption = new("--skip-disk-check") { Description = "Start even when the disk looks too small for the run." };
    private static readonly Option<bool> FoldOnlyOption = new("--fold-only") { Description = "Only the read model's fold, in memory on one core (no database)." };

    /// <summary>The options, or the usage errors (already written to standard error) as the exit code.</summary>
    public static (BenchOptions? Options, int ExitCode) Parse(string[] args)
    {
        var command = new RootCommand("Timeline's benchmark suite: one size, every figure against its reference (docs/performance.md).")
        {
            SizeOption, SeedOption, BatchOption, SmokeOption, OutOption, WorkOption, FreshOption, KeepOption, SkipNotificationsOption, SkipDiskCheckOption, FoldOnlyOption,
        };
        var parse = command.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine(error.Message);
            }

            Console.Error.WriteLine("See --help.");
            return (null, 2);
        }

        if (parse.Action is not null)
        {
            // --help (or --version): System.CommandLine answers it.
            return (null, parse.Invoke());
        }

        var size = parse.GetValue(SizeOption)!.ToLowerInvariant();
        return (new BenchOptions(
            ParseSize(size)!.Value,
            size,
            parse.GetValue(SeedOption),
            parse.GetValue(BatchOption),
            parse.GetValue(SmokeOption),
            parse.GetValue(OutOption),
            parse.GetValue(WorkOption),
            parse.GetValue(FreshOption),
            parse.GetValue(KeepOption),
            !parse.GetValue(SkipNotificationsOption),
            !parse.GetValue(SkipDiskCheckOption),
            parse.GetValue(FoldOnlyOption)), 0);
    }

    /// <summary>10k, 1m or a plain number; null when it is none of them or not positive.</summary>
    public static long? ParseSize(string? size)
    {
        if (string.IsNullOrWhiteSpace(size))
        {
            return null;
        }

        var text = size.Trim().ToLowerInvariant();
        var (digits, factor) = text[^1] switch
        {
            'k' => (text[..^1], 1_000L),
            'm' => (text[..^1], 1_000_000L),
            _ => (text, 1L),
        };
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0 ? count * factor : null;
    }

    private static void Check(OptionResult result, string? problem)
    {
        if (problem is not null)
        {
            result.AddError($"{result.Option.Name} '{(result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty)}' {problem}");
        }
    }
}
