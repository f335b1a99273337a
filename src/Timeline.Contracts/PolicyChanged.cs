using MassTransit;

namespace Timeline.Contracts;

/// <summary>
/// One recorded change to a policy instrument: published once per event in Timeline's log, with the event's id
/// as the message id, in order per instrument. After a crash a change may arrive again with the same id:
/// deduplicate on <see cref="EventId"/>. Under RabbitMQ it is published to the topic exchange
/// <see cref="TimelineTopology.PolicyChangedExchange"/> with routing keys from <see cref="TimelineTopology.RoutingKey"/>.
/// </summary>
/// <param name="EventId">The event's id in Timeline's log; also the message id.</param>
/// <param name="PolicyId">The instrument, e.g. <c>us-eo-14110</c>.</param>
/// <param name="ChangeType">The event's stable name: issued, amended, suspended, reinstated, rescinded, superseded, extended, expired or corrected.</param>
/// <param name="EffectiveAt">When the change applies in the world; null for a correction, which changes the record, not the world.</param>
/// <param name="RecordedAt">When Timeline recorded it (record time, the <c>asOf</c> clock).</param>
/// <param name="StreamVersion">The instrument's version after this event: per instrument, versions arrive in increasing order.</param>
/// <param name="GlobalSequence">The event's position in the whole log; also the event id of the server-sent change stream.</param>
/// <param name="Jurisdiction">The instrument's jurisdiction as recorded with this event, e.g. <c>US</c> or <c>US-CA</c>.</param>
/// <param name="Topics">The instrument's topics as recorded with this event, e.g. <c>export-controls</c>.</param>
/// <param name="Citation">The source citation of the change, where known.</param>
/// <param name="Summary">One line saying what changed.</param>
/// <param name="Title">The instrument's title as recorded with this event.</param>
/// <param name="Kind">The instrument's kind: executive-order, proclamation, rule, statute, guidance, license-policy or other.</param>
/// <param name="CorrectedEventId">For a correction, the id of the event it corrects (an earlier <see cref="PolicyChanged"/>); otherwise null.</param>
[EntityName(TimelineTopology.PolicyChangedExchange)]
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
    string Summary,
    string Title,
    string Kind,
    Guid? CorrectedEventId = null);
