namespace Timeline.Dataset.Requests;

/// <summary>Descriptions shared by the fields every write body has, for the OpenAPI document.</summary>
internal static class RequestDescriptions
{
    public const string Confidence =
        "How well sourced the facts are: {\"level\": \"verified\" | \"secondary\" | \"unverified\", \"fields\": {\"publishedOn\": \"unverified\"}}; fields named as in the event's data.";

    public const string PublicKnowledgeOn = "The day the fact became publicly known, where a source says so, e.g. 2025-04-15.";
}
