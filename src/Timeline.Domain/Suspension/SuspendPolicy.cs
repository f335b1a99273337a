using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;

namespace Timeline.Domain.Suspension;

/// <summary>Stop an instrument in force from applying, e.g. under a court injunction or a stay.</summary>
public sealed record SuspendPolicy(
    string PolicyId,
    string? EffectiveAt,
    string? Reason,
    string? By = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    Confidence? Confidence = null,
    string? PublicKnowledgeOn = null) : IPolicyCommand
{
    public Decision Decide(PolicyHistories histories, DecisionContext context) =>
        SingleEventDecision.Decide(PolicyId, histories, context, (record, errors) =>
            new PolicySuspended(
                PolicyId,
                FieldRules.SourceTime(errors, "effectiveAt", EffectiveAt, record.Zone, required: true) ?? default,
                Reason ?? string.Empty,
                By,
                Citation,
                SourceUrl,
                Note,
                Confidence,
                FieldRules.Date(errors, "publicKnowledgeOn", PublicKnowledgeOn)));
}

/// <summary>End a suspension: the instrument applies again from <see cref="EffectiveAt"/>.</summary>
public sealed record ReinstatePolicy(
    string PolicyId,
    string? EffectiveAt,
    string? Reason,
    string? By = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    Confidence? Confidence = null,
    string? PublicKnowledgeOn = null) : IPolicyCommand
{
    public Decision Decide(PolicyHistories histories, DecisionContext context) =>
        SingleEventDecision.Decide(PolicyId, histories, context, (record, errors) =>
            new PolicyReinstated(
                PolicyId,
                FieldRules.SourceTime(errors, "effectiveAt", EffectiveAt, record.Zone, required: true) ?? default,
                Reason ?? string.Empty,
                By,
                Citation,
                SourceUrl,
                Note,
                Confidence,
                FieldRules.Date(errors, "publicKnowledgeOn", PublicKnowledgeOn)));
}
