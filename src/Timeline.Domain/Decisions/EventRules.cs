using Timeline.Domain.Policies;
using Timeline.Domain.Time;

namespace Timeline.Domain.Decisions;

/// <summary>
/// The field rules every stored event obeys, checked on the event itself: once for the event a
/// command builds, and again for an event as a correction would leave it.
/// </summary>
public static class EventRules
{
    public static void Validate(IEffectiveEvent effective, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(effective);
        ArgumentNullException.ThrowIfNull(errors);
        FieldRules.Text(errors, "citation", effective.Citation, FieldRules.MaxShortTextLength);
        FieldRules.Url(errors, "sourceUrl", effective.SourceUrl);
        FieldRules.DateInRange(errors, "publicKnowledgeOn", effective.PublicKnowledgeOn);
        Confidence(errors, effective);
        switch (effective)
        {
            case PolicyIssued issued:
                FieldRules.PolicyId(errors, "id", issued.PolicyId);
                FieldRules.Text(errors, "title", issued.Title, FieldRules.MaxTitleLength, required: true);
                FieldRules.Jurisdiction(errors, "jurisdiction", issued.Jurisdiction);
                FieldRules.Zone(errors, "timeZone", issued.TimeZone);
                FieldRules.Topics(errors, "topics", issued.Topics);
                FieldRules.DateInRange(errors, "signedOn", issued.SignedOn);
                FieldRules.DateInRange(errors, "publishedOn", issued.PublishedOn);
                FieldRules.Text(errors, "authority", issued.Authority, FieldRules.MaxShortTextLength);
                FieldRules.Text(errors, "note", issued.Note, FieldRules.MaxLongTextLength, multiline: true);
                FieldRules.Provisions(errors, "provisions", issued.Provisions);
                FieldRules.Related(errors, "rescinds", issued.PolicyId, issued.Rescinds);
                FieldRules.Related(errors, "supersedes", issued.PolicyId, issued.Supersedes);
                if (issued.Rescinds.Intersect(issued.Supersedes, StringComparer.Ordinal).Any())
                {
                    errors.Add("supersedes", "an instrument cannot both rescind and supersede the same instrument");
                }

                if (issued.ExpiresAt <= issued.EffectiveAt)
                {
                    errors.Add("expiresAt", $"must come after effectiveAt ({Instants.Format(issued.EffectiveAt)})");
                }

                break;
            case PolicyAmended amended:
                FieldRules.PolicyId(errors, "byPolicyId", amended.ByPolicyId, required: false);
                FieldRules.Text(errors, "summary", amended.Summary, FieldRules.MaxLongTextLength, multiline: true);
                FieldRules.DateInRange(errors, "publishedOn", amended.PublishedOn);
                FieldRules.Provisions(errors, "set", amended.Set);
                foreach (var key in amended.Remove)
                {
                    FieldRules.ProvisionKey(errors, "remove", key);
                }

                if (amended.Set.Count == 0 && amended.Remove.Count == 0)
                {
                    errors.Add("set", "an amendment sets or removes at least one provision");
                }

                if (amended.Remove.FirstOrDefault(amended.Set.ContainsKey) is { } both)
                {
                    errors.Add("remove", $"'{both}' is both set and removed");
                }

                break;
            case PolicySuspended suspended:
                Reason(errors, suspended.Reason, suspended.By, suspended.Note);
                break;
            case PolicyReinstated reinstated:
                Reason(errors, reinstated.Reason, reinstated.By, reinstated.Note);
                break;
            case PolicyRescinded rescinded:
                FieldRules.PolicyId(errors, "byPolicyId", rescinded.ByPolicyId, required: false);
                FieldRules.Text(errors, "note", rescinded.Note, FieldRules.MaxLongTextLength, multiline: true);
                SelfReference(errors, rescinded.PolicyId, rescinded.ByPolicyId);
                break;
            case PolicySuperseded superseded:
                FieldRules.PolicyId(errors, "byPolicyId", superseded.ByPolicyId);
                FieldRules.Text(errors, "note", superseded.Note, FieldRules.MaxLongTextLength, multiline: true);
                SelfReference(errors, superseded.PolicyId, superseded.ByPolicyId);
                break;
            case PolicyExtended extended:
                FieldRules.Text(errors, "note", extended.Note, FieldRules.MaxLongTextLength, multiline: true);
                break;
            case PolicyExpired expired:
                FieldRules.Text(errors, "note", expired.Note, FieldRules.MaxLongTextLength, multiline: true);
                break;
        }
    }

    /// <summary>
    /// A confidence names fields of the event it is part of: a data field (<c>publishedOn</c>), or one
    /// provision of it (<c>provisions.&lt;key&gt;</c> of an issue, <c>set.&lt;key&gt;</c> of an amendment).
    /// </summary>
    private static void Confidence(FieldErrors errors, IEffectiveEvent effective)
    {
        if (effective.Confidence is not { } confidence)
        {
            return;
        }

        if (confidence.Level is null && confidence.Fields.Count == 0)
        {
            errors.Add("confidence", "states a level, fields, or both; leave it out instead");
        }

        var names = DataFields.GetValueOrDefault(effective.GetType()) ?? new HashSet<string>();
        (string? Field, Provisions Values) provisions = effective switch
        {
            PolicyIssued issued => ("provisions", issued.Provisions),
            PolicyAmended amended => ("set", amended.Set),
            _ => (null, Provisions.Empty),
        };
        foreach (var field in confidence.Fields.Keys)
        {
            var dot = field.IndexOf('.', StringComparison.Ordinal);
            var known = dot < 0
                ? names.Contains(field)
                : field[..dot] == provisions.Field && provisions.Values.ContainsKey(field[(dot + 1)..]);
            if (!known)
            {
                errors.Add("confidence.fields", $"'{FieldRules.Shorten(field)}' is not a field of this event; name a field of its data, or {provisions.Field ?? "provisions"}.<key> for one provision it holds");
            }
        }
    }

    // The data fields of each event type, as stored; its confidence may name any but itself and the stream id.
    private static readonly Dictionary<Type, HashSet<string>> DataFields = PolicyEventTypes.All.Keys.ToDictionary(
        type => type,
        type => PolicyJson.Options.GetTypeInfo(type).Properties
            .Select(property => property.Name)
            .Where(name => name is not ("confidence" or "policyId"))
            .ToHashSet(StringComparer.Ordinal));

    private static void Reason(FieldErrors errors, string reason, string? by, string? note)
    {
        FieldRules.Text(errors, "reason", reason, FieldRules.MaxLongTextLength, required: true, multiline: true);
        FieldRules.Text(errors, "by", by, FieldRules.MaxShortTextLength);
        FieldRules.Text(errors, "note", note, FieldRules.MaxLongTextLength, multiline: true);
    }

    private static void SelfReference(FieldErrors errors, string policyId, string? byPolicyId)
    {
        if (string.Equals(policyId, byPolicyId, StringComparison.Ordinal))
        {
            errors.Add("byPolicyId", "an instrument cannot rescind or supersede itself");
        }
    }
}
