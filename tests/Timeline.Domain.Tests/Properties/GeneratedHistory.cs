using CsCheck;
using Timeline.Domain.Time;
using Timeline.Testing;

namespace Timeline.Domain.Tests.Properties;

/// <summary>A generated script applied, with random extra effective and record times to probe it at.</summary>
internal sealed record GeneratedHistory(PolicyScript Script, ScriptRun Run, DateTimeOffset[] RandomAts, DateTimeOffset[] RandomAsOfs)
{
    private static readonly Gen<DateTimeOffset> RandomTime =
        Gen.Long[At.Utc("2023-06-01T00:00:00Z").UtcTicks, At.Utc("2027-12-31T00:00:00Z").UtcTicks]
            .Select(ticks => Instants.Normalize(new DateTimeOffset(ticks, TimeSpan.Zero)));

    public static Gen<GeneratedHistory> Histories { get; } =
        Gen.Select(HistoryGenerator.Scripts, RandomTime.Array[8], RandomTime.Array[4], (script, ats, asOfs) =>
            new GeneratedHistory(script, script.Run(), ats, asOfs));

    /// <summary>The script with each command's outcome, and the random probes: what a failure prints.</summary>
    public override string ToString() =>
        $"{Run}{Environment.NewLine}  random at: {string.Join(", ", RandomAts.Select(Instants.Format))}" +
        $"{Environment.NewLine}  random asOf: {string.Join(", ", RandomAsOfs.Select(Instants.Format))}";
}
