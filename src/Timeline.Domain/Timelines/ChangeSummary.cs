using System.Globalization;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;

namespace Timeline.Domain.Timelines;

/// <summary>One line that says what a change did, for change lists and notifications.</summary>
public static class ChangeSummary
{
    public static string Of(IEffectiveEvent effective) => effective switch
    {
        PolicyIssued issued => $"Issued: {issued.Title}",
        PolicyAmended { Summary: { Length: > 0 } summary } => $"Amended: {summary}",
        PolicyAmended amended => $"Amended: {Describe(amended)}",
        PolicySuspended suspended => $"Suspended: {suspended.Reason}",
        PolicyReinstated reinstated => $"Reinstated: {reinstated.Reason}",
        PolicyRescinded { ByPolicyId: { } by } => $"Rescinded by {by}",
        PolicyRescinded => "Rescinded",
        PolicySuperseded superseded => $"Superseded by {superseded.ByPolicyId}",
        PolicyExtended extended => $"Extended to {Instants.Format(extended.ExpiresAt)}",
        PolicyExpired => "Expired",
        _ => PolicyEventTypes.NameOf(effective),
    };

    private static string Describe(PolicyAmended amended)
    {
        var parts = new List<string>();
        if (amended.Set.Count > 0)
        {
            parts.Add("set " + string.Join(", ", amended.Set.Keys));
        }

        if (amended.Remove.Count > 0)
        {
            parts.Add("removed " + string.Join(", ", amended.Remove));
        }

        return string.Join("; ", parts).ToString(CultureInfo.InvariantCulture);
    }
}
