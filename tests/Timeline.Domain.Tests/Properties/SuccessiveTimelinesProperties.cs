using CsCheck;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;
using Timeline.Domain.Timelines;
using Timeline.Testing;

namespace Timeline.Domain.Tests.Properties;

/// <summary>
/// <see cref="SuccessiveTimelines"/> keeps the fold of its last build and reuses the part the next one shares: whatever
/// the order of the record times asked, every timeline it gives must equal a fresh build's, segment by segment and
/// change by change (the read model stores what it gives; the reference fold checks the fresh builds).
/// </summary>
public class SuccessiveTimelinesProperties
{
    [Fact]
    public void ForGeneratedHistories_TimelinesBuiltOneAfterAnother_EqualFreshBuilds_InAscendingOrder() =>
        GeneratedHistory.Histories.Sample(
            generated => CheckEvery(generated, asOfs => asOfs),
            iter: PropertySettings.Iterations,
            print: generated => generated.ToString());

    [Fact]
    public void ForGeneratedHistories_TimelinesBuiltOneAfterAnother_EqualFreshBuilds_InAnyOrder() =>
        Gen.Select(GeneratedHistory.Histories, Gen.Int).Sample(
            (generated, seed) => CheckEvery(generated, asOfs => Shuffled(asOfs, new Random(seed))),
            iter: PropertySettings.Iterations,
            print: pair => $"{pair.Item1}{Environment.NewLine}  shuffle seed: {pair.Item2}");

    private static void CheckEvery(GeneratedHistory generated, Func<IReadOnlyList<DateTimeOffset>, IEnumerable<DateTimeOffset>> order)
    {
        foreach (var (policyId, history) in generated.Run.Log.Histories)
        {
            var timelines = new SuccessiveTimelines();
            foreach (var asOf in order(Probes.RecordTimes(history, generated.RandomAsOfs)))
            {
                var expected = PolicyTimeline.Build(history, asOf);
                var actual = timelines.Build(history, asOf);
                if (!Same(expected, actual))
                {
                    throw new InvalidOperationException(
                        $"'{policyId}' as of {Instants.Format(asOf)}:{Environment.NewLine}  fresh: {Describe(expected)}{Environment.NewLine}  reused: {Describe(actual)}");
                }
            }
        }
    }

    private static DateTimeOffset[] Shuffled(IReadOnlyList<DateTimeOffset> times, Random random)
    {
        var shuffled = times.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }

    private static bool Same(PolicyTimeline? x, PolicyTimeline? y) =>
        x is null || y is null
            ? x is null && y is null
            : x.Instrument.Equals(y.Instrument) && x.Segments.SequenceEqual(y.Segments) && x.Changes.SequenceEqual(y.Changes);

    private static string Describe(PolicyTimeline? timeline) =>
        timeline is null
            ? "unknown"
            : $"{string.Join(" | ", timeline.Segments.Select(s => $"[{Format(s.ValidFrom)}, {Format(s.ValidTo)}) {s.Snapshot.Status}"))}; changes: {string.Join(", ", timeline.Changes.Select(c => $"{c.Type}@{Instants.Format(c.EffectiveAt)}"))}";

    private static string Format(DateTimeOffset? at) => at is { } value ? Instants.Format(value) : "-";
}
