using Timeline.Domain.Policies;
using Timeline.Domain.Time;

namespace Timeline.Domain.Decisions;

/// <summary>
/// Whether an effective event can happen to an instrument at its effective time, given the state the
/// record shows there. Used for new events and again for events a correction moves or changes.
/// </summary>
public static class EffectiveChecks
{
    public static Rejection? Fits(IEffectiveEvent effective, PolicyIssued issued, PolicySnapshot? stateThen)
    {
        ArgumentNullException.ThrowIfNull(effective);
        ArgumentNullException.ThrowIfNull(issued);
        var id = issued.PolicyId;
        var at = Instants.Format(effective.EffectiveAt);
        if (effective is not PolicyIssued && effective.EffectiveAt < issued.EffectiveAt)
        {
            return Rejection.Unprocessable(
                $"'{id}' takes effect at {Instants.Format(issued.EffectiveAt)}; {PolicyEventTypes.Describe(effective)} effective {at} would come before it.");
        }

        if (stateThen is null || effective is PolicyIssued)
        {
            return null;
        }

        var status = stateThen.Status;
        var statusName = System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(status.ToString());
        var revoked = status is PolicyStatus.Rescinded or PolicyStatus.Superseded;
        return effective switch
        {
            PolicyAmended when revoked => Rejection.Conflict($"'{id}' is {statusName} at {at}; it can no longer be amended."),
            PolicyAmended amended when amended.Remove.FirstOrDefault(key => !stateThen.State.Provisions.ContainsKey(key)) is { } missing =>
                Rejection.Unprocessable($"'{id}' has no provision '{missing}' at {at} to remove."),
            PolicySuspended when status != PolicyStatus.InForce =>
                Rejection.Conflict($"'{id}' is {statusName} at {at}; only an instrument in force can be suspended."),
            PolicyReinstated when status != PolicyStatus.Suspended =>
                Rejection.Conflict($"'{id}' is {statusName} at {at}; only a suspended instrument can be reinstated."),
            PolicyRescinded or PolicySuperseded when revoked =>
                Rejection.Conflict($"'{id}' is already {statusName} at {at}."),
            PolicyExtended when revoked => Rejection.Conflict($"'{id}' is {statusName} at {at}; it can no longer be extended."),
            PolicyExtended extended when extended.ExpiresAt <= extended.EffectiveAt =>
                Rejection.Unprocessable($"The new expiry {Instants.Format(extended.ExpiresAt)} must come after the extension's effective time {at}."),
            PolicyExpired when revoked || status == PolicyStatus.Expired =>
                Rejection.Conflict($"'{id}' is already {statusName} at {at}."),
            _ => null,
        };
    }
}
