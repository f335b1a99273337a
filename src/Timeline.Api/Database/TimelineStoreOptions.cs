namespace Timeline.Api.Database;

/// <summary>Where the event store and the read model live (<c>Timeline:Store</c> in configuration).</summary>
public sealed class TimelineStoreOptions
{
    public const string Section = "Timeline:Store";

    /// <summary>The PostgreSQL schema for the event store and the read model.</summary>
    public string Schema { get; set; } = "timeline";
}
