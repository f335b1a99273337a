using MassTransit;

namespace Timeline.Contracts;

/// <summary>
/// A change recorded in advance reached its effective time: a pending instrument came into force, a suspension
/// began, an expiry was reached. Published once per change and effective time, late if Timeline was down at that
/// moment, always with the original effective time. A correction that moves a change not yet in effect moves its
/// announcement; one that moves it into the past or removes it cancels it (the correction's own
/// <see cref="PolicyChanged"/> tells). Under RabbitMQ it is published to the topic exchange
/// <see cref="TimelineTopology.PolicyTookEffectExchange"/> with the same routing keys as <see cref="PolicyChanged"/>.
/// </summary>
/// <param name="AnnouncementId">The message id: the same for every delivery of this announcement, so a repeat is detectable.</param>
/// <param name="PolicyId">The instrument.</param>
/// <param name="ChangeType">What took effect: issued, amended, suspended, ..., or expired for an expiry reached.</param>
/// <param name="EffectiveAt">When it took effect.</param>
/// <param name="AnnouncedAt">When Timeline announced it: later than <see cref="EffectiveAt"/> after downtime.</param>
/// <param name="EventId">The event that recorded the change; null for an expiry reached, which no event records.</param>
/// <param name="Jurisdiction">The instrument's jurisdiction.</param>
/// <param name="Topics">The instrument's topics.</param>
/// <param name="Citation">The source citation of the change, where known.</param>
/// <param name="Summary">One line saying what took effect.</param>
/// <param name="Title">The instrument's title.</param>
/// <param name="Kind">The instrument's kind.</param>
[EntityName(TimelineTopology.PolicyTookEffectExchange)]
public sealed record PolicyTookEffect(
    Guid AnnouncementId,
    string PolicyId,
    string ChangeType,
    DateTimeOffset EffectiveAt,
    DateTimeOffset AnnouncedAt,
    Guid? EventId,
    string Jurisdiction,
    IReadOnlyList<string> Topics,
    string? Citation,
    string Summary,
    string Title,
    string Kind);
