namespace Timeline.Contracts;

/// <summary>
/// One recorded change to a policy instrument: published once per event in the log, with the event's id as
/// the message id, in order per instrument. After a crash a change may arrive again with the same id:
/// deduplicate on <see cref="EventId"/>.
/// </summary>
/// <param name="EventId">The event's id in Timeline's log; also the message id.</param>
/// <param name="PolicyId">The instrument, e.g. <c>us-eo-14110</c>.</param>
/// <param name="ChangeType">issued, amended, suspended, reinstated, rescinded, superseded, extended, expired or corrected.</param>
/// <param name="EffectiveAt">When the change applies in the world; null for a correction, which applies to the record.</param>
/// <param name="RecordedAt">When Timeline recorded it.</param>
/// <param name="StreamVersion">The instrument's version after this event.</param>
/// <param name="GlobalSequence">The event's position in the whole log.</param>
/// <param name="Jurisdiction">The instrument's jurisdiction, e.g. <c>US</c>.</param>
/// <param name="Topics">The instrument's topics, e.g. <c>export-controls</c>.</param>
/// <param name="Citation">The source citation of the change, where known.</param>
/// <param name="Summary">One line saying what changed.</param>
public sealed record PolicyChanged(
    Guid EventId,
    string PolicyId,
    string ChangeType,
    DateTimeOffset? EffectiveAt,
    DateTimeOffset RecordedAt,
    long StreamVersion,
    long GlobalSequence,
    string Jurisdiction,
    IReadOnlyList<string> Topics,
    string? Citation,
    string Summary);
