namespace Timeline.Contracts;

/// <summary>
/// A change recorded in advance reached its effective time: a pending instrument came into force, a
/// suspension began, an expiry was reached. Published once, late if Timeline was down at that moment,
/// always with the original effective time.
/// </summary>
/// <param name="PolicyId">The instrument.</param>
/// <param name="ChangeType">What took effect: issued, amended, suspended, ..., or expired for an expiry reached.</param>
/// <param name="EffectiveAt">When it took effect.</param>
/// <param name="EventId">The event that recorded the change; null for an expiry reached, which no event records.</param>
/// <param name="Jurisdiction">The instrument's jurisdiction.</param>
/// <param name="Topics">The instrument's topics.</param>
/// <param name="Summary">One line saying what took effect.</param>
public sealed record PolicyTookEffect(
    string PolicyId,
    string ChangeType,
    DateTimeOffset EffectiveAt,
    Guid? EventId,
    string Jurisdiction,
    IReadOnlyList<string> Topics,
    string Summary);
