using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;

namespace Timeline.Domain.Expiry;

/// <summary>
/// Move an instrument's expiry to <see cref="ExpiresAt"/>. The extension applies from
/// <see cref="EffectiveAt"/>, or from now when the source gives no date.
/// </summary>
public sealed record ExtendPolicy(
    string PolicyId,
    string? ExpiresAt,
    string? EffectiveAt = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    Confidence? Confidence = null,
    string? PublicKnowledgeOn = null) : IPolicyCommand
{
    public Decision Decide(PolicyHistories histories, DecisionContext context) =>
        SingleEventDecision.Decide(PolicyId, histories, context, (record, errors) =>
            new PolicyExtended(
                PolicyId,
                FieldRules.SourceTime(errors, "effectiveAt", EffectiveAt, record.Zone, required: false) ?? Time.Instants.Normalize(context.Now),
                FieldRules.SourceTime(errors, "expiresAt", ExpiresAt, record.Zone, required: true) ?? default,
                Citation,
                SourceUrl,
                Note,
                Confidence,
                FieldRules.Date(errors, "publicKnowledgeOn", PublicKnowledgeOn)));
}

/// <summary>An explicit sunset: the instrument ends at <see cref="EffectiveAt"/>.</summary>
public sealed record ExpirePolicy(
    string PolicyId,
    string? EffectiveAt,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    Confidence? Confidence = null,
    string? PublicKnowledgeOn = null) : IPolicyCommand
{
    public Decision Decide(PolicyHistories histories, DecisionContext context) =>
        SingleEventDecision.Decide(PolicyId, histories, context, (record, errors) =>
            new PolicyExpired(
                PolicyId,
                FieldRules.SourceTime(errors, "effectiveAt", EffectiveAt, record.Zone, required: true) ?? default,
                Citation,
                SourceUrl,
                Note,
                Confidence,
                FieldRules.Date(errors, "publicKnowledgeOn", PublicKnowledgeOn)));
}
