namespace Timeline.Subscriber;

/// <summary>What to subscribe to and where to write it (<c>Subscriber</c> in configuration).</summary>
public sealed class SubscriberOptions
{
    public const string Section = "Subscriber";

    /// <summary>The broker, as a URI: <c>amqp://user:password@host:5672/vhost</c>.</summary>
    public Uri RabbitMq { get; set; } = new("amqp://guest:guest@localhost:5672/");

    /// <summary>
    /// The queue name; changes go to <c>{Queue}.changes</c>, announcements to <c>{Queue}.took-effect</c>. Durable: what is
    /// published while the subscriber is stopped waits there for it.
    /// </summary>
    public string Queue { get; set; } = "timeline-subscriber";

    /// <summary>
    /// Routing-key patterns, <c>{jurisdiction}.{topic}.{changeType}</c> with <c>*</c> for one word and <c>#</c> for any:
    /// <c>us.export-controls.#</c>, <c>*.ai.#</c>, <c>#</c> for everything.
    /// </summary>
    public List<string> Bindings { get; set; } = [];

    /// <summary>Whether to subscribe to took-effect announcements too, with the same patterns.</summary>
    public bool TookEffect { get; set; } = true;

    /// <summary>The append-only file of what was handled, one JSON line per message; also the record that deduplicates.</summary>
    public string Journal { get; set; } = "timeline-changes.ndjson";

    /// <summary>The patterns to bind: everything when none is given.</summary>
    public IReadOnlyList<string> EffectiveBindings => Bindings.Count == 0 ? ["#"] : Bindings;
}
