namespace Timeline.Domain.Policies;

/// <summary>
/// An event as the log holds it: its id, its place in its stream, the record time at which Timeline
/// learned it, and what caused it (the event, for events written because of another instrument).
/// </summary>
public sealed record RecordedEvent(
    Guid EventId,
    string PolicyId,
    long Version,
    DateTimeOffset RecordedAt,
    IPolicyEvent Data,
    string? CausationId = null);
