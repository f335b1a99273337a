using System.Text.Json;
using Timeline.Domain.Policies;
using Timeline.Domain.Timelines;

namespace Timeline.Api.ReadModel;

/// <summary>
/// The JSON of the states one stream's version rows store, each serialised once where it is cheap to tell that it
/// was already: serialising every row's state was a third of a rebuild's fold, and a third of the rows repeat a state.
/// A row re-recorded only because its effective end moved keeps the state of the row that started at the same time;
/// the two halves of a segment split by an expiry share one state object. Anything else is serialised.
/// </summary>
internal sealed class StateJson
{
    // The last state serialised at each effective start (a null start is "since ever": the pending segment).
    private readonly Dictionary<DateTimeOffset, Serialised> _byStart = [];
    private Serialised? _sinceEver;
    private Serialised? _last;

    /// <summary>The UTF-8 JSON of <paramref name="segment"/>'s state, as <see cref="PolicyJson.Options"/> writes it.</summary>
    public byte[] Of(TimelineSegment segment)
    {
        var state = segment.Snapshot.State;
        if (_last is { } last && ReferenceEquals(last.State, state))
        {
            return last.Json;
        }

        var sameStart = segment.ValidFrom is { } start ? _byStart.GetValueOrDefault(start) : _sinceEver;
        // Equal states write the same JSON: their maps are sorted, their instants written in UTC.
        var serialised = sameStart is not null && sameStart.State.Equals(state)
            ? sameStart
            : new Serialised(state, JsonSerializer.SerializeToUtf8Bytes(state, PolicyJson.Options));
        if (segment.ValidFrom is { } from)
        {
            _byStart[from] = serialised;
        }
        else
        {
            _sinceEver = serialised;
        }

        _last = serialised;
        return serialised.Json;
    }

    private sealed record Serialised(PolicyState State, byte[] Json);
}
