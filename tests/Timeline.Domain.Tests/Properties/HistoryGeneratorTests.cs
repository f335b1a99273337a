using System.Text.RegularExpressions;
using Timeline.Domain.Correction;
using Timeline.Domain.Policies;
using Timeline.Testing;

namespace Timeline.Domain.Tests.Properties;

/// <summary>
/// The generated scripts are only worth folding if the domain accepts enough of them and they reach the
/// edge cases of TIME-MODEL.md; these tests measure that on a fixed batch and print the numbers.
/// </summary>
public partial class HistoryGeneratorTests
{
    private const int BatchSize = 500;
    private static readonly Lazy<IReadOnlyList<ScriptRun>> Batch = new(() => [.. HistoryGenerator.Sample(BatchSize, seed: 20250120).Select(s => s.Run())]);

    [Fact]
    public void TheSameSeed_GivesTheSameScripts_AndAnotherSeedOthers()
    {
        var first = HistoryGenerator.Sample(20, seed: 7).Select(script => script.ToString());
        var again = HistoryGenerator.Sample(20, seed: 7).Select(script => script.ToString());
        var other = HistoryGenerator.Sample(20, seed: 8).Select(script => script.ToString());

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Scripts_HaveThreeToTwentyFiveCommandsOnOneToFourInstruments_WithStrictlyIncreasingRecordTimes()
    {
        Assert.All(HistoryGenerator.Sample(200, seed: 11), script =>
        {
            Assert.InRange(script.Steps.Count, 3, 25);
            Assert.All(script.Steps.Zip(script.Steps.Skip(1)), pair => Assert.True(pair.First.RecordedAt < pair.Second.RecordedAt));
        });
        Assert.All(Batch.Value, run => Assert.Subset(HistoryGenerator.PolicyIds.ToHashSet(), run.Log.Histories.Keys.ToHashSet()));
    }

    [Fact]
    public void MostCommandsAreAccepted_SomeAreRejected_AndMostScriptsBuildANonTrivialHistory()
    {
        var commands = Batch.Value.Sum(run => run.Outcomes.Count);
        var accepted = Batch.Value.Sum(run => run.AcceptedCount);
        var nonTrivial = Batch.Value.Count(run => run.AcceptedCount >= 3);
        var share = (double)accepted / commands;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{BatchSize} scripts, {commands} commands, {accepted} accepted ({share:P1}); {nonTrivial} scripts with 3 or more accepted commands");

        Assert.InRange(share, 0.40, 0.90);
        Assert.True(nonTrivial >= BatchSize * 0.85, $"only {nonTrivial} of {BatchSize} scripts have 3 or more accepted commands");
    }

    [Fact]
    public void TheScripts_ReachEveryEdgeCaseOfTheTimeModel()
    {
        var seen = Features.ToDictionary(feature => feature.Key, feature => Batch.Value.Count(feature.Value));
        foreach (var (feature, count) in seen)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{count,4} of {BatchSize} scripts: {feature}");
        }

        Assert.All(seen, feature => Assert.True(feature.Value >= BatchSize / 100, $"only {feature.Value} of {BatchSize} scripts have {feature.Key}"));
        Assert.True(Batch.Value.SelectMany(Issued).Select(issued => issued.TimeZone).Distinct().Count() >= 5, "fewer than five time zones");
    }

    private static readonly Dictionary<string, Func<ScriptRun, bool>> Features = new()
    {
        ["an amendment recorded after another but effective before it"] = run => run.Log.Histories.Values.Any(history =>
            history.Where(e => e.Data is PolicyAmended).SelectMany(a => history.Where(b => b.Data is PolicyAmended && b.Version > a.Version)
                .Select(b => Effective(b) < Effective(a))).Any(before => before)),
        ["a correction of an effective time"] = run => Corrections(run).Any(c => c.Changes.Fields.ContainsKey("effectiveAt")),
        ["a correction of an issue's provision"] = run => Corrections(run).Any(c => c.Changes.Fields.ContainsKey("provisions")),
        ["a correction of an amendment's provision"] = run => Corrections(run).Any(c => c.Changes.Fields.ContainsKey("set")),
        ["a correction moving another instrument's rescission or supersession"] = run =>
            run.Log.Events.Any(e => e.Data is PolicyCorrected && e.CausationId is not null),
        ["a correction of an expiry"] = run => Corrections(run).Any(c => c.Changes.Fields.ContainsKey("expiresAt")),
        ["two events with the same effective time"] = run => run.Log.Histories.Values.Any(history =>
            history.Where(e => e.Data is IEffectiveEvent).GroupBy(Effective).Any(group => group.Count() > 1)),
        ["an event effective after the last record time"] = run =>
            run.Log.Events.Any(e => e.Data is IEffectiveEvent effective && effective.EffectiveAt > run.Log.LastRecordedAt),
        ["a rescission"] = run => run.Log.Events.Any(e => e.Data is PolicyRescinded && e.CausationId is null),
        ["a rescission by another instrument's issue"] = run => run.Log.Events.Any(e => e.Data is PolicyRescinded && e.CausationId is not null),
        ["a supersession by another instrument's issue"] = run => run.Log.Events.Any(e => e.Data is PolicySuperseded && e.CausationId is not null),
        ["a suspension and a reinstatement"] = run => run.Log.Histories.Values.Any(history =>
            history.Any(e => e.Data is PolicySuspended) && history.Any(e => e.Data is PolicyReinstated)),
        ["an expiry set on issue"] = run => Issued(run).Any(issued => issued.ExpiresAt is not null),
        ["an extension"] = run => run.Log.Events.Any(e => e.Data is PolicyExtended),
        ["an explicit expiry"] = run => run.Log.Events.Any(e => e.Data is PolicyExpired),
        ["a date-only effective time accepted"] = run => AcceptedDescriptions(run).Any(DateOnlyEffectiveAt().IsMatch),
        ["an exact effective time accepted"] = run => AcceptedDescriptions(run).Any(ExactEffectiveAt().IsMatch),
        ["a rejected command"] = run => run.AcceptedCount < run.Outcomes.Count,
    };

    private static DateTimeOffset Effective(RecordedEvent recorded) => ((IEffectiveEvent)recorded.Data).EffectiveAt;

    private static IEnumerable<PolicyIssued> Issued(ScriptRun run) => run.Log.Events.Select(e => e.Data).OfType<PolicyIssued>();

    private static IEnumerable<PolicyCorrected> Corrections(ScriptRun run) => run.Log.Events.Select(e => e.Data).OfType<PolicyCorrected>();

    private static IEnumerable<string> AcceptedDescriptions(ScriptRun run) =>
        run.Outcomes.Where(outcome => outcome.Decision.IsAccepted).Select(outcome => outcome.Step.Description);

    [GeneratedRegex("\"effectiveAt\":\"\\d{4}-\\d{2}-\\d{2}\"")]
    private static partial Regex DateOnlyEffectiveAt();

    [GeneratedRegex("\"effectiveAt\":\"\\d{4}-\\d{2}-\\d{2}T")]
    private static partial Regex ExactEffectiveAt();
}
