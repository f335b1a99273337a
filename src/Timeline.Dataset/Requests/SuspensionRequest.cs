using System.ComponentModel;
using Timeline.Domain.Policies;
using Timeline.Domain.Suspension;

namespace Timeline.Dataset.Requests;

/// <summary>The body of <c>POST /api/policies/{id}/suspensions</c> and <c>/reinstatements</c>.</summary>
public sealed record SuspensionRequest(
    string? EffectiveAt,
    [property: Description("Why: a court injunction, a stay, a pause.")] string? Reason,
    [property: Description("By whom, e.g. the court.")] string? By = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    [property: Description(RequestDescriptions.Confidence)] Confidence? Confidence = null,
    [property: Description(RequestDescriptions.PublicKnowledgeOn)] string? PublicKnowledgeOn = null)
{
    public SuspendPolicy ToSuspendCommand(string policyId) =>
        new(policyId, EffectiveAt, Reason, By, Citation, SourceUrl, Note, Confidence, PublicKnowledgeOn);

    public ReinstatePolicy ToReinstateCommand(string policyId) =>
        new(policyId, EffectiveAt, Reason, By, Citation, SourceUrl, Note, Confidence, PublicKnowledgeOn);
}
