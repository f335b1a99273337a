using CsCheck;
using Timeline.Domain.Correction;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;
using Timeline.Domain.Timelines;
using Timeline.Testing;

namespace Timeline.Domain.Tests.Properties;

/// <summary>Shapes every timeline and every accepted history must have, whatever the commands were.</summary>
public class TimelineInvariantProperties
{
    /// <summary>
    /// An instrument's versions cover all of time, one after the other: the first starts unbounded (pending
    /// before it takes effect), the last ends unbounded, each ends where the next starts, none is empty, and
    /// two neighbours differ (otherwise they would be one version).
    /// </summary>
    [Fact]
    public void ForGeneratedHistories_SegmentsCoverAllTimeWithoutGapsOrOverlaps_AndNeighboursDiffer() =>
        GeneratedHistory.Histories.Sample(
            generated =>
            {
                foreach (var (policyId, history) in generated.Run.Log.Histories)
                {
                    foreach (var asOf in Probes.RecordTimes(history, generated.RandomAsOfs))
                    {
                        var timeline = PolicyTimeline.Build(history, asOf);
                        Check(timeline is not null || !history.Any(e => e.RecordedAt <= asOf), policyId, asOf, "is unknown although events are recorded");
                        if (timeline is null)
                        {
                            continue;
                        }

                        var segments = timeline.Segments;
                        Check(segments.Count > 0, policyId, asOf, "has no segments");
                        Check(segments[0].ValidFrom is null, policyId, asOf, "starts at a bounded time");
                        Check(segments[^1].ValidTo is null, policyId, asOf, "ends at a bounded time");
                        Check(segments[0].Snapshot.Status == PolicyStatus.Pending, policyId, asOf, "is not pending before it takes effect");
                        for (var i = 0; i + 1 < segments.Count; i++)
                        {
                            Check(segments[i].ValidTo is not null && segments[i].ValidTo == segments[i + 1].ValidFrom, policyId, asOf, $"has a gap or an overlap after segment {i}");
                            Check(segments[i].ValidFrom is null || segments[i].ValidFrom < segments[i].ValidTo, policyId, asOf, $"has an empty segment {i}");
                            Check(!segments[i].Snapshot.Equals(segments[i + 1].Snapshot), policyId, asOf, $"repeats segment {i} in segment {i + 1}");
                        }
                    }
                }
            },
            iter: PropertySettings.Iterations,
            print: generated => generated.ToString());

    /// <summary>
    /// TIME-MODEL.md: "an amendment effective before issue" is rejected with nothing written; so, as the
    /// record stands at any time, no event of an instrument takes effect before the instrument itself.
    /// </summary>
    [Fact]
    public void ForGeneratedHistories_NoEventTakesEffectBeforeItsInstrument_AsOfAnyRecordTime() =>
        GeneratedHistory.Histories.Sample(
            generated =>
            {
                foreach (var (policyId, history) in generated.Run.Log.Histories)
                {
                    foreach (var asOf in history.Select(e => e.RecordedAt).Distinct())
                    {
                        var corrected = CorrectionPatch.ApplyAll(history.Where(e => e.RecordedAt <= asOf));
                        var issue = corrected.Select(e => e.Data).OfType<PolicyIssued>().Single();
                        var early = corrected.FirstOrDefault(e => ((IEffectiveEvent)e.Data).EffectiveAt < issue.EffectiveAt);
                        Check(early is null, policyId, asOf, $"has event {early?.EventId} effective before its issue ({Instants.Format(issue.EffectiveAt)})");
                    }
                }
            },
            iter: PropertySettings.Iterations,
            print: generated => generated.ToString());

    private static void Check(bool holds, string policyId, DateTimeOffset asOf, string problem)
    {
        if (!holds)
        {
            throw new InvalidOperationException($"'{policyId}' as of {Instants.Format(asOf)} {problem}.");
        }
    }
}
