using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;

namespace Timeline.Domain.Issuing;

/// <summary>
/// Record a new instrument. Instruments it rescinds or supersedes get their own rescinded or
/// superseded event, effective when this one takes effect, in the same transaction.
/// </summary>
public sealed record IssuePolicy(
    string? PolicyId,
    string? Kind,
    string? Title,
    string? Jurisdiction,
    IReadOnlyList<string>? Topics,
    string? EffectiveAt,
    string? TimeZone = null,
    string? Authority = null,
    string? SignedOn = null,
    string? PublishedOn = null,
    string? ExpiresAt = null,
    Provisions? Provisions = null,
    IReadOnlyList<string>? Rescinds = null,
    IReadOnlyList<string>? Supersedes = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    Confidence? Confidence = null,
    string? PublicKnowledgeOn = null) : IPolicyCommand
{
    /// <summary>Every instrument it rescinds or supersedes: they get events too.</summary>
    public IEnumerable<string> AlsoReads(InstrumentRecord? record) =>
        (Rescinds ?? []).Concat(Supersedes ?? []).OfType<string>();

    public Decision Decide(PolicyHistories histories, DecisionContext context)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(context);
        var errors = new FieldErrors();
        var issued = Build(errors);
        EventRules.Validate(issued, errors);
        if (errors.Any)
        {
            return errors.ToRejection();
        }

        if (histories.Of(issued.PolicyId).Count > 0)
        {
            return Rejection.Conflict($"An instrument '{issued.PolicyId}' is already recorded; amend or correct it instead.");
        }

        var issuedEvent = new NewEvent(issued.PolicyId, context.NewEventId(), issued);
        var events = new List<NewEvent> { issuedEvent };
        var related = issued.Rescinds.Select(id => (Id: id, Field: "rescinds")).Concat(issued.Supersedes.Select(id => (Id: id, Field: "supersedes")));
        foreach (var (targetId, field) in related)
        {
            var target = InstrumentRecord.Of(histories.Of(targetId));
            if (target is null)
            {
                return Rejection.Unprocessable($"'{issued.PolicyId}' {field} '{targetId}', which is not recorded; record it first.");
            }

            IEffectiveEvent consequence = field == "rescinds"
                ? new PolicyRescinded(targetId, issued.EffectiveAt, issued.PolicyId, issued.Citation, issued.SourceUrl,
                    Confidence: issued.Confidence?.ForRelation(field), PublicKnowledgeOn: issued.PublicKnowledgeOn)
                : new PolicySuperseded(targetId, issued.EffectiveAt, issued.PolicyId, issued.Citation, issued.SourceUrl,
                    Confidence: issued.Confidence?.ForRelation(field), PublicKnowledgeOn: issued.PublicKnowledgeOn);
            var misfit = EffectiveChecks.Fits(consequence, target.Issued, target.At(consequence.EffectiveAt));
            if (misfit is not null)
            {
                return misfit;
            }

            events.Add(new NewEvent(targetId, context.NewEventId(), consequence, CausedBy: issuedEvent.EventId));
        }

        return Decision.Accept(events);
    }

    /// <summary>The event the command describes; fields that do not parse are recorded in <paramref name="errors"/> and left at defaults.</summary>
    private PolicyIssued Build(FieldErrors errors)
    {
        var zoneId = TimeZone ?? TimeZones.ZoneIdForJurisdiction(Jurisdiction ?? string.Empty);
        var zone = TimeZones.TryFind(zoneId, out var found) ? found : TimeZones.Get(TimeZones.DefaultZoneId); // an unknown zone is reported by the event rules
        return new PolicyIssued(
            PolicyId!,
            FieldRules.Kind(errors, "kind", Kind) ?? PolicyKind.Other,
            Title ?? string.Empty,
            Jurisdiction!,
            zoneId,
            EquatableArray.From(Topics),
            FieldRules.SourceTime(errors, "effectiveAt", EffectiveAt, zone, required: true) ?? default,
            Provisions ?? Policies.Provisions.Empty,
            EquatableArray.From(Rescinds),
            EquatableArray.From(Supersedes),
            Authority,
            FieldRules.Date(errors, "signedOn", SignedOn),
            FieldRules.Date(errors, "publishedOn", PublishedOn),
            FieldRules.SourceTime(errors, "expiresAt", ExpiresAt, zone, required: false),
            Citation,
            SourceUrl,
            Note,
            Confidence,
            FieldRules.Date(errors, "publicKnowledgeOn", PublicKnowledgeOn));
    }
}
