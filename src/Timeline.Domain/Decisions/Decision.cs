using Timeline.Domain.Policies;

namespace Timeline.Domain.Decisions;

/// <summary>An event to append: to which stream, with which id, and what caused it (another event's id, or null for the request).</summary>
public sealed record NewEvent(string PolicyId, Guid EventId, IPolicyEvent Data, Guid? CausedBy = null);

/// <summary>The outcome of a command: the events to append in one transaction, or a rejection.</summary>
public sealed record Decision
{
    private Decision(IReadOnlyList<NewEvent> events, Rejection? rejection)
    {
        Events = events;
        Rejection = rejection;
    }

    public IReadOnlyList<NewEvent> Events { get; }

    public Rejection? Rejection { get; }

    public bool IsAccepted => Rejection is null;

    public static Decision Accept(IReadOnlyList<NewEvent> events) => new(events, null);

    public static Decision Reject(Rejection rejection) => new([], rejection);

    public static implicit operator Decision(Rejection rejection) => Reject(rejection);
}

/// <summary>What a decision may use besides the command and the histories: the clock and new event ids.</summary>
public sealed record DecisionContext(DateTimeOffset Now, Func<Guid> NewEventId)
{
    public static DecisionContext System(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return new(clock.GetUtcNow(), () => Guid.CreateVersion7(clock.GetUtcNow()));
    }
}

/// <summary>The recorded histories of the streams a command reads, by instrument id; a missing one is unknown.</summary>
public sealed class PolicyHistories(IReadOnlyDictionary<string, IReadOnlyList<RecordedEvent>> histories)
{
    public IReadOnlyList<RecordedEvent> Of(string policyId) =>
        histories.TryGetValue(policyId, out var history) ? history : [];

    public static PolicyHistories Of(params (string PolicyId, IReadOnlyList<RecordedEvent> History)[] histories) =>
        new(histories.ToDictionary(h => h.PolicyId, h => h.History, StringComparer.Ordinal));
}
