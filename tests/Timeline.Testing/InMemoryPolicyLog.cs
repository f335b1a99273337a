using System.Globalization;
using Timeline.Domain.Amending;
using Timeline.Domain.Correction;
using Timeline.Domain.Decisions;
using Timeline.Domain.Expiry;
using Timeline.Domain.Issuing;
using Timeline.Domain.Policies;
using Timeline.Domain.Rescission;
using Timeline.Domain.Suspension;
using Timeline.Domain.Time;

namespace Timeline.Testing;

/// <summary>
/// The write path without a database: each command is decided by its own <c>Decide</c> method
/// against the histories of the streams it reads, and an accepted decision's events are appended,
/// each to its stream with the next version, all at the record time the caller gives.
/// Event ids are sequential (<c>00000000-0000-0000-0000-000000000001</c>, ...), so a run is repeatable.
/// </summary>
public sealed class InMemoryPolicyLog
{
    private readonly Dictionary<string, IReadOnlyList<RecordedEvent>> _histories = new(StringComparer.Ordinal);
    private readonly List<RecordedEvent> _events = [];
    private long _lastEventNumber;

    /// <summary>Every stream's recorded events in version order, by instrument id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<RecordedEvent>> Histories => _histories.AsReadOnly();

    /// <summary>Every recorded event of every stream, in record order (the global sequence).</summary>
    public IReadOnlyList<RecordedEvent> Events => _events.AsReadOnly();

    /// <summary>The record time of the last accepted command, or null before the first.</summary>
    public DateTimeOffset? LastRecordedAt => _events.Count == 0 ? null : _events[^1].RecordedAt;

    /// <summary>One instrument's recorded events in version order; empty when it is unknown. The list never changes afterwards.</summary>
    public IReadOnlyList<RecordedEvent> HistoryOf(string policyId) =>
        _histories.TryGetValue(policyId, out var history) ? history : [];

    /// <summary>
    /// Decides <paramref name="command"/> with <paramref name="recordedAt"/> as the decision's now,
    /// and on acceptance records its events at that time. A rejected command writes nothing.
    /// </summary>
    /// <param name="command">
    /// An <see cref="IssuePolicy"/>, <see cref="AmendPolicy"/>, <see cref="SuspendPolicy"/>,
    /// <see cref="ReinstatePolicy"/>, <see cref="RescindPolicy"/>, <see cref="SupersedePolicy"/>,
    /// <see cref="ExtendPolicy"/>, <see cref="ExpirePolicy"/> or <see cref="CorrectEvent"/>.
    /// </param>
    /// <param name="recordedAt">
    /// The record time, kept at microsecond resolution as the store keeps it; it must come after the
    /// previous accepted command's, since record time only moves forward.
    /// </param>
    public Decision Execute(IPolicyCommand command, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(command);
        recordedAt = Instants.Normalize(recordedAt);
        if (LastRecordedAt is { } last && recordedAt <= last)
        {
            throw new ArgumentOutOfRangeException(
                nameof(recordedAt),
                $"Record time only moves forward: {Instants.Format(recordedAt)} is not after {Instants.Format(last)}.");
        }

        var context = new DecisionContext(recordedAt, NextEventId);
        var decision = command.Decide(Load(command), context);

        if (decision.IsAccepted)
        {
            Append(decision.Events, recordedAt);
        }

        return decision;
    }

    /// <summary>The histories a command reads, as the real write path loads them.</summary>
    private PolicyHistories Load(IPolicyCommand command)
    {
        if (command.PolicyId is null)
        {
            return new PolicyHistories(new Dictionary<string, IReadOnlyList<RecordedEvent>>());
        }

        var streams = command.AlsoReads(InstrumentRecord.Of(HistoryOf(command.PolicyId))).Prepend(command.PolicyId);
        return new(streams.Distinct(StringComparer.Ordinal).ToDictionary(id => id, HistoryOf, StringComparer.Ordinal));
    }

    private void Append(IReadOnlyList<NewEvent> events, DateTimeOffset recordedAt)
    {
        foreach (var newEvent in events)
        {
            var history = HistoryOf(newEvent.PolicyId);
            var recorded = new RecordedEvent(
                newEvent.EventId,
                newEvent.PolicyId,
                history.Count + 1,
                recordedAt,
                newEvent.Data,
                newEvent.CausedBy?.ToString());
            _histories[newEvent.PolicyId] = [.. history, recorded];
            _events.Add(recorded);
        }
    }

    private Guid NextEventId() =>
        Guid.Parse(string.Create(CultureInfo.InvariantCulture, $"00000000-0000-0000-0000-{++_lastEventNumber:x12}"));
}
