using Timeline.Domain.Correction;
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
    public static PolicyTimeline? Build(IEnumerable<RecordedEvent> history, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(history);
        var known = new List<RecordedEvent>();
        foreach (var recorded in history)
        {
            if (recorded.RecordedAt <= asOf)
            {
                known.Add(recorded);
            }
        }

        // Versions are unique, so (effective time, version) is a total order: an unstable sort gives the same order.
        var ordered = CorrectionPatch.ApplyAll(known).ToArray();
        Array.Sort(ordered, static (x, y) =>
        {
            var byEffective = ((IEffectiveEvent)x.Data).EffectiveAt.CompareTo(((IEffectiveEvent)y.Data).EffectiveAt);
            return byEffective != 0 ? byEffective : x.Version.CompareTo(y.Version);
        });
        var issued = Array.Find(ordered, e => e.Data is PolicyIssued)?.Data as PolicyIssued;
        if (issued is null)
        {
            return null;
        }

        var builder = new Builder(PolicyState.Create(issued));
        var sameTime = new List<IEffectiveEvent>();
        for (var i = 0; i < ordered.Length; i++)
        {
            var effective = (IEffectiveEvent)ordered[i].Data;
            sameTime.Add(effective);
            if (i == ordered.Length - 1 || ((IEffectiveEvent)ordered[i + 1].Data).EffectiveAt != effective.EffectiveAt)
            {
                builder.ApplyAt(effective.EffectiveAt, sameTime);
                sameTime.Clear();
            }
        }

        // Finish first: closing the last segment is what finds an expiry reached after the last event.
        var segments = builder.Finish();
        var changes = new List<PolicyChange>(ordered.Length + builder.ExpiriesReached.Count);
        foreach (var recorded in ordered)
        {
            changes.Add(ChangeOf(recorded));
        }

        changes.AddRange(builder.ExpiriesReached);
        // (effective time, version, expiries last) is a total order: no two expiries are reached at one time, since
        // segments do not overlap, so an unstable sort gives the same order.
        changes.Sort(static (x, y) =>
        {
            var byEffective = x.EffectiveAt.CompareTo(y.EffectiveAt);
            return byEffective != 0 ? byEffective : (x.Version ?? long.MaxValue).CompareTo(y.Version ?? long.MaxValue);
        });
        return new PolicyTimeline(builder.Instrument, segments, changes);
    }

    private static PolicyChange ChangeOf(RecordedEvent recorded)
    {
        var effective = (IEffectiveEvent)recorded.Data;
        return new PolicyChange(
            recorded.EventId,
            recorded.Version,
            PolicyEventTypes.NameOf(effective),
            effective.EffectiveAt,
            ChangeSummary.Of(effective),
            effective.Citation,
            effective.SourceUrl);
    }

    /// <summary>Sweeps the effective times in order, closing a segment at each change and at each expiry reached.</summary>
    private sealed class Builder(PolicyState instrument)
    {
        private readonly List<TimelineSegment> _segments = [];
        private DateTimeOffset? _from;
        private PolicyState? _state;

        public PolicyState Instrument { get; } = instrument;

        public List<PolicyChange> ExpiriesReached { get; } = [];

        public void ApplyAt(DateTimeOffset at, List<IEffectiveEvent> events)
        {
            var next = _state;
            foreach (var effective in events)
            {
                next = next is null
                    ? effective is PolicyIssued issued ? PolicyState.Create(issued) : null
                    : next.Apply(effective);
            }

            if (next is null)
            {
                return; // events effective before the instrument itself change nothing
            }

            Close(at);
            _from = at;
            _state = next;
        }

        public List<TimelineSegment> Finish()
        {
            Close(null);
            return Merge(_segments);
        }

        private void Close(DateTimeOffset? to)
        {
            if (_state is null)
            {
                var pending = Instrument with { Status = PolicyStatus.Pending };
                _segments.Add(new TimelineSegment(null, to, new PolicySnapshot(pending, PolicyStatus.Pending)));
                return;
            }

            var expiry = _state.Status is PolicyStatus.InForce or PolicyStatus.Suspended ? _state.ExpiresAt : null;
            if (expiry is { } reached && reached > _from && (to is null || reached < to))
            {
                _segments.Add(new TimelineSegment(_from, reached, new PolicySnapshot(_state, _state.Status)));
                _segments.Add(new TimelineSegment(reached, to, new PolicySnapshot(_state, PolicyStatus.Expired)));
                ExpiriesReached.Add(new PolicyChange(null, null, PolicyEventTypes.Expired, reached, "Expiry reached", null, null));
                return;
            }

            _segments.Add(new TimelineSegment(_from, to, new PolicySnapshot(_state, _state.StatusAt(_from!.Value))));
        }

        private static List<TimelineSegment> Merge(List<TimelineSegment> segments)
        {
            var merged = new List<TimelineSegment>(segments.Count);
            foreach (var segment in segments)
            {
                if (merged.Count > 0 && merged[^1].Snapshot.Equals(segment.Snapshot))
                {
                    merged[^1] = merged[^1] with { ValidTo = segment.ValidTo };
                }
                else
                {
                    merged.Add(segment);
                }
            }

            return merged;
        }
    }
}
