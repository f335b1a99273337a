namespace Timeline.Api.Notifications;

/// <summary>How this instance takes part in change notifications (<c>Timeline:Notifications</c> in configuration).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Timeline:Notifications";

    /// <summary>
    /// Whether this instance runs the publisher (the async daemon in hot/cold mode, so one instance of many
    /// publishes) and the took-effect announcer. Off, it still serves the change stream and reports health.
    /// </summary>
    public bool Publish { get; set; } = true;

    /// <summary>How old the oldest unpublished change may be before readiness reports the publisher as stalled.</summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromSeconds(30);
}
