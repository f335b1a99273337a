using System.ComponentModel;
using Timeline.Domain.Policies;
using Timeline.Domain.Rescission;

namespace Timeline.Dataset.Requests;

/// <summary>The body of <c>POST /api/policies/{id}/rescissions</c>.</summary>
public sealed record RescissionRequest(
    [property: Description("When the rescission applies; may be retroactive.")] string? EffectiveAt,
    [property: Description("The rescinding instrument, if any.")] string? ByPolicyId = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    [property: Description(RequestDescriptions.Confidence)] Confidence? Confidence = null,
    [property: Description(RequestDescriptions.PublicKnowledgeOn)] string? PublicKnowledgeOn = null)
{
    public RescindPolicy ToCommand(string policyId) =>
        new(policyId, EffectiveAt, ByPolicyId, Citation, SourceUrl, Note, Confidence, PublicKnowledgeOn);
}

/// <summary>The body of <c>POST /api/policies/{id}/supersessions</c>.</summary>
public sealed record SupersessionRequest(
    string? EffectiveAt,
    [property: Description("The superseding instrument.")] string? ByPolicyId,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    [property: Description(RequestDescriptions.Confidence)] Confidence? Confidence = null,
    [property: Description(RequestDescriptions.PublicKnowledgeOn)] string? PublicKnowledgeOn = null)
{
    public SupersedePolicy ToCommand(string policyId) =>
        new(policyId, EffectiveAt, ByPolicyId, Citation, SourceUrl, Note, Confidence, PublicKnowledgeOn);
}
