using Timeline.Domain.Policies;

namespace Timeline.Domain.Timelines;

/// <summary>One version of an instrument: its snapshot over the effective interval [ValidFrom, ValidTo); null is unbounded.</summary>
public sealed record TimelineSegment(DateTimeOffset? ValidFrom, DateTimeOffset? ValidTo, PolicySnapshot Snapshot)
{
    public bool Contains(DateTimeOffset at) => (ValidFrom is null || ValidFrom <= at) && (ValidTo is null || at < ValidTo);
}

/// <summary>A change effective at one time: a recorded event, or an expiry reached (no event, <see cref="EventId"/> null).</summary>
public sealed record PolicyChange(
    Guid? EventId,
    long? Version,
    string Type,
    DateTimeOffset EffectiveAt,
    string Summary,
    string? Citation,
    string? SourceUrl);

/// <summary>
/// An instrument's whole effective history as the record stood at one record time: consecutive
/// segments covering all of time (pending before its effective time), and the changes that made them.
/// The read model stores these, one record interval per distinct timeline.
/// </summary>
public sealed record PolicyTimeline(PolicyState Instrument, IReadOnlyList<TimelineSegment> Segments, IReadOnlyList<PolicyChange> Changes)
{
    public TimelineSegment SegmentAt(DateTimeOffset at) => Segments.First(segment => segment.Contains(at));

    /// <summary>The timeline as of <paramref name="asOf"/>, or null when the instrument was not yet known.</summary>
    public static PolicyTimeline? Build(IEnumerable<RecordedEvent> history, DateTimeOffset asOf) => new SuccessiveTimelines().Build(history, asOf);
}
