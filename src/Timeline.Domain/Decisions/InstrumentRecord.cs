using NodaTime;
using Timeline.Domain.Correction;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;

namespace Timeline.Domain.Decisions;

/// <summary>One instrument's recorded history as a decision reads it: everything recorded so far.</summary>
public sealed class InstrumentRecord
{
    private InstrumentRecord(IReadOnlyList<RecordedEvent> history, PolicyIssued issued)
    {
        History = history;
        Issued = issued;
        Zone = TimeZones.Get(issued.TimeZone);
    }

    public IReadOnlyList<RecordedEvent> History { get; }

    /// <summary>The instrument's issue as corrected so far.</summary>
    public PolicyIssued Issued { get; }

    public string PolicyId => Issued.PolicyId;

    public long Version => History.Count == 0 ? 0 : History[^1].Version;

    /// <summary>The zone in which this instrument's source dates are stated.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>The record of an instrument, or null when nothing is recorded about it.</summary>
    public static InstrumentRecord? Of(IReadOnlyList<RecordedEvent> history)
    {
        var issued = CorrectionPatch.ApplyAll(history).Select(e => e.Data).OfType<PolicyIssued>().FirstOrDefault();
        return issued is null ? null : new InstrumentRecord(history, issued);
    }

    /// <summary>The instrument at effective time <paramref name="at"/> on everything recorded.</summary>
    public PolicySnapshot At(DateTimeOffset at) => ReferenceFold.StateAt(History, at, DateTimeOffset.MaxValue)!;

    /// <summary>The instrument at <paramref name="at"/> had one event never been recorded, to re-check that event where a correction moves it.</summary>
    public PolicySnapshot? AtWithout(Guid eventId, DateTimeOffset at) =>
        ReferenceFold.StateAt(History.Where(e => e.EventId != eventId), at, DateTimeOffset.MaxValue);

    public RecordedEvent? Find(Guid eventId) => History.FirstOrDefault(e => e.EventId == eventId);

    /// <summary>An event's data with every correction recorded so far applied.</summary>
    public IEffectiveEvent? Corrected(Guid eventId) =>
        CorrectionPatch.ApplyAll(History).FirstOrDefault(e => e.EventId == eventId)?.Data as IEffectiveEvent;

    /// <summary>Every effective event as corrected so far, in record order.</summary>
    public IReadOnlyList<RecordedEvent> CorrectedEvents => CorrectionPatch.ApplyAll(History);
}
