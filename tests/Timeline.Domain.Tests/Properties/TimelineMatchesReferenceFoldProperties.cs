using CsCheck;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;
using Timeline.Domain.Timelines;
using Timeline.Testing;

namespace Timeline.Domain.Tests.Properties;

/// <summary>
/// TIME-MODEL.md, "The read model": property tests hold the projection against the reference fold on
/// many random histories and many random (at, asOf) pairs. The projection stores the segments of
/// <see cref="PolicyTimeline"/>; the segment containing <c>at</c> must read as the fold does.
/// </summary>
public class TimelineMatchesReferenceFoldProperties
{
    [Fact]
    public void ForGeneratedHistories_TheSegmentAtEveryProbedTime_EqualsTheReferenceFold() =>
        GeneratedHistory.Histories.Sample(
            generated =>
            {
                foreach (var (policyId, history) in generated.Run.Log.Histories)
                {
                    foreach (var asOf in Probes.RecordTimes(history, generated.RandomAsOfs))
                    {
                        // Every time the record as of then names; times only later events name are random ones for this view.
                        var ats = Probes.EffectiveTimes(history.Where(e => e.RecordedAt <= asOf), generated.RandomAts);
                        var timeline = PolicyTimeline.Build(history, asOf);
                        foreach (var at in ats)
                        {
                            var expected = ReferenceFold.StateAt(history, at, asOf);
                            var actual = timeline?.SegmentAt(at).Snapshot;
                            if (!Equals(expected, actual))
                            {
                                throw new InvalidOperationException(
                                    $"'{policyId}' at {Instants.Format(at)} as of {Instants.Format(asOf)}:{Environment.NewLine}" +
                                    $"  reference fold: {expected}{Environment.NewLine}  timeline:       {actual}");
                            }
                        }
                    }
                }
            },
            iter: PropertySettings.Iterations,
            print: generated => generated.ToString());
}
