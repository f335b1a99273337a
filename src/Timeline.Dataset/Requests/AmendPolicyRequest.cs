using System.ComponentModel;
using Timeline.Domain.Amending;
using Timeline.Domain.Policies;

namespace Timeline.Dataset.Requests;

/// <summary>The body of <c>POST /api/policies/{id}/amendments</c>.</summary>
public sealed record AmendPolicyRequest(
    [property: Description("When the amendment applies; may be before amendments already recorded.")] string? EffectiveAt,
    [property: Description("Provisions set or replaced.")] Provisions? Set = null,
    [property: Description("Provision keys removed.")] IReadOnlyList<string>? Remove = null,
    [property: Description("The amending instrument, if any.")] string? ByPolicyId = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? Summary = null,
    [property: Description("Date the amending text was published, e.g. a correcting amendment's.")] string? PublishedOn = null,
    [property: Description(RequestDescriptions.Confidence)] Confidence? Confidence = null,
    [property: Description(RequestDescriptions.PublicKnowledgeOn)] string? PublicKnowledgeOn = null)
{
    public AmendPolicy ToCommand(string policyId) =>
        new(policyId, EffectiveAt, Set, Remove, ByPolicyId, Summary, Citation, SourceUrl, PublishedOn, Confidence, PublicKnowledgeOn);
}
