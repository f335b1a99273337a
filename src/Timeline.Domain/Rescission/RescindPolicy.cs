using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;

namespace Timeline.Domain.Rescission;

/// <summary>Revoke an instrument from <see cref="EffectiveAt"/>, by another instrument where one is named.</summary>
public sealed record RescindPolicy(
    string PolicyId,
    string? EffectiveAt,
    string? ByPolicyId = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    Confidence? Confidence = null,
    string? PublicKnowledgeOn = null) : IPolicyCommand
{
    public Decision Decide(PolicyHistories histories, DecisionContext context) =>
        SingleEventDecision.Decide(PolicyId, histories, context, (record, errors) =>
            new PolicyRescinded(
                PolicyId,
                FieldRules.SourceTime(errors, "effectiveAt", EffectiveAt, record.Zone, required: true) ?? default,
                ByPolicyId,
                Citation,
                SourceUrl,
                Note,
                Confidence,
                FieldRules.Date(errors, "publicKnowledgeOn", PublicKnowledgeOn)));
}

/// <summary>Record that another instrument took this one's place from <see cref="EffectiveAt"/>.</summary>
public sealed record SupersedePolicy(
    string PolicyId,
    string? EffectiveAt,
    string? ByPolicyId,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    Confidence? Confidence = null,
    string? PublicKnowledgeOn = null) : IPolicyCommand
{
    public Decision Decide(PolicyHistories histories, DecisionContext context) =>
        SingleEventDecision.Decide(PolicyId, histories, context, (record, errors) =>
            new PolicySuperseded(
                PolicyId,
                FieldRules.SourceTime(errors, "effectiveAt", EffectiveAt, record.Zone, required: true) ?? default,
                ByPolicyId!,
                Citation,
                SourceUrl,
                Note,
                Confidence,
                FieldRules.Date(errors, "publicKnowledgeOn", PublicKnowledgeOn)));
}
