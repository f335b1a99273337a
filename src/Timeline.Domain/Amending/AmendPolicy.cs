using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;

namespace Timeline.Domain.Amending;

/// <summary>Set or remove provisions from <see cref="EffectiveAt"/> on, possibly retroactively.</summary>
public sealed record AmendPolicy(
    string PolicyId,
    string? EffectiveAt,
    Provisions? Set,
    IReadOnlyList<string>? Remove,
    string? ByPolicyId = null,
    string? Summary = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? PublishedOn = null,
    Confidence? Confidence = null,
    string? PublicKnowledgeOn = null) : IPolicyCommand
{
    public Decision Decide(PolicyHistories histories, DecisionContext context) =>
        SingleEventDecision.Decide(PolicyId, histories, context, (record, errors) =>
            new PolicyAmended(
                PolicyId,
                FieldRules.SourceTime(errors, "effectiveAt", EffectiveAt, record.Zone, required: true) ?? default,
                Set ?? Provisions.Empty,
                EquatableArray.From(Remove),
                ByPolicyId,
                Summary,
                Citation,
                SourceUrl,
                FieldRules.Date(errors, "publishedOn", PublishedOn),
                Confidence,
                FieldRules.Date(errors, "publicKnowledgeOn", PublicKnowledgeOn)));
}
