using System.ComponentModel;
using Timeline.Domain.Expiry;
using Timeline.Domain.Policies;

namespace Timeline.Dataset.Requests;

/// <summary>The body of <c>POST /api/policies/{id}/extensions</c>.</summary>
public sealed record ExtensionRequest(
    [property: Description("The new expiry: an instant, or a date (start of that day).")] string? ExpiresAt,
    [property: Description("When the extension applies; defaults to now.")] string? EffectiveAt = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    [property: Description(RequestDescriptions.Confidence)] Confidence? Confidence = null,
    [property: Description(RequestDescriptions.PublicKnowledgeOn)] string? PublicKnowledgeOn = null)
{
    public ExtendPolicy ToCommand(string policyId) =>
        new(policyId, ExpiresAt, EffectiveAt, Citation, SourceUrl, Note, Confidence, PublicKnowledgeOn);
}

/// <summary>The body of <c>POST /api/policies/{id}/expirations</c>: an explicit sunset.</summary>
public sealed record ExpirationRequest(
    string? EffectiveAt,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    [property: Description(RequestDescriptions.Confidence)] Confidence? Confidence = null,
    [property: Description(RequestDescriptions.PublicKnowledgeOn)] string? PublicKnowledgeOn = null)
{
    public ExpirePolicy ToCommand(string policyId) =>
        new(policyId, EffectiveAt, Citation, SourceUrl, Note, Confidence, PublicKnowledgeOn);
}
