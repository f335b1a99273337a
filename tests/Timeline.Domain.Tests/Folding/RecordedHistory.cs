using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;
using Timeline.Domain.Timelines;
using Timeline.Testing;

namespace Timeline.Domain.Tests.Folding;

/// <summary>
/// Commands recorded at stated record times, then read back at (at, asOf) the way queries name them:
/// a date means the end of that day in America/New_York, an instant is exact. Every read asks both the
/// reference fold and the timeline segment the read model stores, and insists that they agree.
/// </summary>
internal sealed class RecordedHistory
{
    private static readonly NodaTime.DateTimeZone LegalZone = TimeZones.Get(TimeZones.DefaultZoneId);
    private readonly InMemoryPolicyLog _log = new();

    public RecordedHistory Record(string recordedAt, IPolicyCommand command)
    {
        var decision = _log.Execute(command, At.Utc(recordedAt));
        Assert.True(decision.IsAccepted, $"{command.GetType().Name} recorded at {recordedAt} was rejected: {decision.Rejection}");
        return this;
    }

    public Guid EventId(string policyId, int version) => _log.HistoryOf(policyId)[version - 1].EventId;

    /// <summary>The instrument on <paramref name="at"/> as the record stood at <paramref name="asOf"/>; null when not yet known.</summary>
    public PolicySnapshot? On(string policyId, string at, string asOf)
    {
        var history = _log.HistoryOf(policyId);
        var (atInstant, asOfInstant) = (Query(at), Query(asOf));
        var folded = ReferenceFold.StateAt(history, atInstant, asOfInstant);
        var stored = PolicyTimeline.Build(history, asOfInstant)?.SegmentAt(atInstant).Snapshot;
        Assert.Equal(folded, stored);
        return folded;
    }

    /// <summary>Asserts the status and the provisions on <paramref name="at"/> as of <paramref name="asOf"/>.</summary>
    public void Expect(string policyId, string at, string asOf, PolicyStatus status, params (string Key, object Value)[] provisions)
    {
        var snapshot = On(policyId, at, asOf);
        Assert.True(snapshot is not null, $"'{policyId}' is unknown as of {asOf}");
        Assert.True(status == snapshot.Status, $"On {at} as of {asOf}: expected {status}, got {snapshot.Status}");
        Assert.Equal(Commands.Provisions(provisions), snapshot.State.Provisions);
    }

    /// <summary>The changes the read model lists for the instrument as of <paramref name="asOf"/>: type and effective time.</summary>
    public IReadOnlyList<(string Type, DateTimeOffset EffectiveAt)> Changes(string policyId, string asOf) =>
        [.. PolicyTimeline.Build(_log.HistoryOf(policyId), Query(asOf))!.Changes.Select(change => (change.Type, change.EffectiveAt))];

    private static DateTimeOffset Query(string time) => TimeInput.Parse(time).EndOfDayIn(LegalZone);
}
