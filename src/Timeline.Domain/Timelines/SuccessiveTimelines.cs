using Timeline.Domain.Correction;
using Timeline.Domain.Policies;

namespace Timeline.Domain.Timelines;

/// <summary>
/// Builds one instrument's timelines as of several record times, each exactly as a fresh
/// <see cref="PolicyTimeline.Build"/> would, keeping what the last build folded. The read model asks for the timeline
/// at every record time a stream grew, and two successive ones differ only from the earliest effective time the new
/// events (or their corrections) reach: the fold of the events before it, in effective order, is taken from the last
/// build instead of being done again, and each change's summary is made once. Folding every stream from its first event
/// at every record time made a rebuild's fold grow with the square of a stream's length.
/// <para>
/// Nothing is assumed about the order of the calls: whatever leading run of events, in effective order, is the same
/// objects as last time is reused, and the rest is folded.
/// </para>
/// </summary>
public sealed class SuccessiveTimelines
{
    /// <summary>The corrected events of the last build, in effective order.</summary>
    private RecordedEvent[] _ordered = [];

    /// <summary>The builder after each group of events sharing an effective time, in the order of <see cref="_ordered"/>.</summary>
    private readonly List<Checkpoint> _checkpoints = [];

    private Builder? _builder;

    // Keyed by the event's data object: a corrected event's data is a new object (made once per correction).
    private readonly Dictionary<IPolicyEvent, PolicyChange> _changes = new(ReferenceEqualityComparer.Instance);

    /// <summary>The timeline as of <paramref name="asOf"/>, or null when the instrument was not yet known.</summary>
    public PolicyTimeline? Build(IEnumerable<RecordedEvent> history, DateTimeOffset asOf)
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
            var byEffective = EffectiveAt(x).CompareTo(EffectiveAt(y));
            return byEffective != 0 ? byEffective : x.Version.CompareTo(y.Version);
        });
        var issued = Array.Find(ordered, e => e.Data is PolicyIssued)?.Data as PolicyIssued;
        if (issued is null)
        {
            return null;
        }

        var builder = Resume(ordered, issued, out var start);
        var sameTime = new List<IEffectiveEvent>();
        for (var i = start; i < ordered.Length; i++)
        {
            var effective = (IEffectiveEvent)ordered[i].Data;
            sameTime.Add(effective);
            if (i == ordered.Length - 1 || EffectiveAt(ordered[i + 1]) != effective.EffectiveAt)
            {
                builder.ApplyAt(effective.EffectiveAt, sameTime);
                sameTime.Clear();
                _checkpoints.Add(builder.Checkpoint(i + 1));
            }
        }

        _ordered = ordered;

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

    /// <summary>
    /// The builder as it stood after the longest run of whole effective-time groups that <paramref name="ordered"/>
    /// shares with the last build (the same event objects, in the same places), and where to go on folding.
    /// </summary>
    private Builder Resume(RecordedEvent[] ordered, PolicyIssued issued, out int start)
    {
        if (_builder is null || !ReferenceEquals(_builder.Issued, issued))
        {
            // The pending segment is the issued instrument's: a corrected issue changes every segment.
            _checkpoints.Clear();
            _builder = new Builder(issued);
            start = 0;
            return _builder;
        }

        var same = 0;
        var limit = Math.Min(ordered.Length, _ordered.Length);
        while (same < limit && ReferenceEquals(ordered[same].Data, _ordered[same].Data) && ordered[same].EventId == _ordered[same].EventId)
        {
            same++;
        }

        // A group ending where the shared run ends is whole only if the next event starts another effective time.
        var kept = _checkpoints.Count;
        while (kept > 0 && !Whole(ordered, _checkpoints[kept - 1].End, same))
        {
            kept--;
        }

        _checkpoints.RemoveRange(kept, _checkpoints.Count - kept);
        if (kept == 0)
        {
            _builder.Reset();
            start = 0;
        }
        else
        {
            _builder.Restore(_checkpoints[kept - 1]);
            start = _checkpoints[kept - 1].End;
        }

        return _builder;
    }

    private static bool Whole(RecordedEvent[] ordered, int end, int same) =>
        end < same || (end == same && (end == ordered.Length || EffectiveAt(ordered[end]) != EffectiveAt(ordered[end - 1])));

    private static DateTimeOffset EffectiveAt(RecordedEvent recorded) => ((IEffectiveEvent)recorded.Data).EffectiveAt;

    private PolicyChange ChangeOf(RecordedEvent recorded)
    {
        if (_changes.TryGetValue(recorded.Data, out var known) && known.EventId == recorded.EventId && known.Version == recorded.Version)
        {
            return known;
        }

        var effective = (IEffectiveEvent)recorded.Data;
        var change = new PolicyChange(
            recorded.EventId,
            recorded.Version,
            PolicyEventTypes.NameOf(effective),
            effective.EffectiveAt,
            ChangeSummary.Of(effective),
            effective.Citation,
            effective.SourceUrl);
        _changes[recorded.Data] = change;
        return change;
    }

    /// <summary>The builder after the groups of events before <see cref="End"/> (an index into the ordered events).</summary>
    private readonly record struct Checkpoint(int End, int Segments, int Expiries, DateTimeOffset? From, PolicyState? State);

    /// <summary>Sweeps the effective times in order, closing a segment at each change and at each expiry reached.</summary>
    private sealed class Builder(PolicyIssued issued)
    {
        private readonly List<TimelineSegment> _segments = [];
        private DateTimeOffset? _from;
        private PolicyState? _state;

        public PolicyIssued Issued { get; } = issued;

        public PolicyState Instrument { get; } = PolicyState.Create(issued);

        public List<PolicyChange> ExpiriesReached { get; } = [];

        public Checkpoint Checkpoint(int end) => new(end, _segments.Count, ExpiriesReached.Count, _from, _state);

        public void Restore(Checkpoint checkpoint)
        {
            _segments.RemoveRange(checkpoint.Segments, _segments.Count - checkpoint.Segments);
            ExpiriesReached.RemoveRange(checkpoint.Expiries, ExpiriesReached.Count - checkpoint.Expiries);
            (_from, _state) = (checkpoint.From, checkpoint.State);
        }

        public void Reset() => Restore(new Checkpoint(0, 0, 0, null, null));

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

        /// <summary>The segments, the last one closed; what <see cref="Close"/> adds here is dropped by the next restore.</summary>
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
