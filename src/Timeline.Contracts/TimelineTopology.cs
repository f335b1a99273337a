namespace Timeline.Contracts;

/// <summary>
/// Where Timeline publishes under RabbitMQ, for subscribers in any language. Two durable topic exchanges, one per
/// message type; each message is routed with the key <c>{jurisdiction}.{topic}.{changeType}</c> for every topic of
/// its instrument (the first as the routing key, the others in the <c>CC</c> header), so a queue bound by several
/// of its keys still gets one copy. Bind with wildcards: <c>us.export-controls.#</c>, <c>*.ai.#</c>, <c>us-ca.#</c>,
/// <c>#.rescinded</c>. Bodies are plain JSON (camelCase), the AMQP <c>message_id</c> is the message id.
/// </summary>
public static class TimelineTopology
{
    /// <summary>The topic exchange of <see cref="PolicyChanged"/>.</summary>
    public const string PolicyChangedExchange = "timeline.policy-changed";

    /// <summary>The topic exchange of <see cref="PolicyTookEffect"/>.</summary>
    public const string PolicyTookEffectExchange = "timeline.policy-took-effect";

    /// <summary>
    /// The routing key of one topic of a change: jurisdiction in lower case (<c>US-CA</c> is <c>us-ca</c>), the topic,
    /// and the change type, joined by dots. None of the three can contain a dot.
    /// </summary>
    public static string RoutingKey(string jurisdiction, string topic, string changeType)
    {
        ArgumentException.ThrowIfNullOrEmpty(jurisdiction);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentException.ThrowIfNullOrEmpty(changeType);
        return $"{jurisdiction.ToLowerInvariant()}.{topic}.{changeType}";
    }

    /// <summary>Every routing key of a change, one per topic, in the instrument's topic order.</summary>
    public static IReadOnlyList<string> RoutingKeys(string jurisdiction, IEnumerable<string> topics, string changeType)
    {
        ArgumentNullException.ThrowIfNull(topics);
        return [.. topics.Select(topic => RoutingKey(jurisdiction, topic, changeType))];
    }
}
