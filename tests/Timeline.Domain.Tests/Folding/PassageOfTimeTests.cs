using Timeline.Domain.Policies;
using static Timeline.Domain.Tests.Commands;

namespace Timeline.Domain.Tests.Folding;

/// <summary>TIME-MODEL.md, edge cases: status that changes with no new event, only the passage of time.</summary>
public class PassageOfTimeTests
{
    /// <summary>"A pending instrument that becomes in force with no new event, only the passage of time."</summary>
    [Fact]
    public void APendingInstrument_ComesIntoForceAtItsEffectiveTime_WithNoNewEvent()
    {
        var history = new RecordedHistory()
            .Record("2025-09-19T20:00:00Z", Issue("us-proc-h1b", "2025-09-21T00:01:00-04:00", ("new-petition-payment-usd", 100000)));

        foreach (var asOf in new[] { "2025-09-19", "2025-09-21", "2026-09-21" })
        {
            history.Expect("us-proc-h1b", "2025-09-20", asOf, PolicyStatus.Pending, ("new-petition-payment-usd", 100000));
            history.Expect("us-proc-h1b", "2025-09-21T04:00:59.999999Z", asOf, PolicyStatus.Pending, ("new-petition-payment-usd", 100000));
            history.Expect("us-proc-h1b", "2025-09-21T04:01:00Z", asOf, PolicyStatus.InForce, ("new-petition-payment-usd", 100000));
            history.Expect("us-proc-h1b", "2025-09-21", asOf, PolicyStatus.InForce, ("new-petition-payment-usd", 100000));
            history.Expect("us-proc-h1b", "2025-09-22", asOf, PolicyStatus.InForce, ("new-petition-payment-usd", 100000));
        }
    }

    /// <summary>"expired (expiry reached with no extension)": from its expiry on, with no event to say so.</summary>
    [Fact]
    public void AnInstrumentReachingItsExpiry_IsExpiredFromItsExpiry()
    {
        var history = new RecordedHistory()
            .Record("2025-01-01T16:00:00Z", Issue("us-eo-1", "2025-01-01", ("rate", 1)) with { ExpiresAt = "2025-07-01" });

        history.Expect("us-eo-1", "2025-06-30", "2025-01-01", PolicyStatus.InForce, ("rate", 1));
        history.Expect("us-eo-1", "2025-07-01T03:59:59.999999Z", "2025-01-01", PolicyStatus.InForce, ("rate", 1));
        history.Expect("us-eo-1", "2025-07-01T04:00:00Z", "2025-01-01", PolicyStatus.Expired, ("rate", 1));
        history.Expect("us-eo-1", "2025-07-01", "2025-01-01", PolicyStatus.Expired, ("rate", 1));
        history.Expect("us-eo-1", "2025-07-02", "2025-01-01", PolicyStatus.Expired, ("rate", 1));
    }

    /// <summary>The expiry is a change effective at a time (GET /api/changes, took-effect announcements), after the last event too.</summary>
    [Fact]
    public void AnExpiryReachedAfterTheLastEvent_IsOneOfTheInstrumentsChanges()
    {
        var history = new RecordedHistory()
            .Record("2025-01-01T16:00:00Z", Issue("us-eo-1", "2025-01-01") with { ExpiresAt = "2025-07-01" })
            .Record("2025-02-01T16:00:00Z", Suspend("us-eo-1", "2025-03-01"));

        Assert.Equal(
            [("issued", At.Utc("2025-01-01T05:00:00Z")), ("expired", At.Utc("2025-07-01T04:00:00Z"))],
            history.Changes("us-eo-1", "2025-01-01"));
        Assert.Equal(
            [("issued", At.Utc("2025-01-01T05:00:00Z")), ("suspended", At.Utc("2025-03-01T05:00:00Z")), ("expired", At.Utc("2025-07-01T04:00:00Z"))],
            history.Changes("us-eo-1", "2025-02-01"));
    }

    [Fact]
    public void ASuspendedInstrumentReachingItsExpiry_IsExpired()
    {
        var history = new RecordedHistory()
            .Record("2025-01-01T16:00:00Z", Issue("us-eo-1", "2025-01-01") with { ExpiresAt = "2025-07-01" })
            .Record("2025-02-01T16:00:00Z", Suspend("us-eo-1", "2025-03-01"));

        history.Expect("us-eo-1", "2025-06-30", "2025-02-01", PolicyStatus.Suspended);
        history.Expect("us-eo-1", "2025-07-01", "2025-02-01", PolicyStatus.Expired);
    }

    /// <summary>An extension recorded after the old expiry passed: as of before it, expired; as of after, in force until the new expiry.</summary>
    [Fact]
    public void AnExtension_MovesTheExpiry_AsOfAfterItWasRecorded()
    {
        var history = new RecordedHistory()
            .Record("2025-01-01T16:00:00Z", Issue("us-eo-1", "2025-01-01", ("rate", 1)) with { ExpiresAt = "2025-07-01" })
            .Record("2025-08-01T16:00:00Z", Extend("us-eo-1", expiresAt: "2025-12-31", effectiveAt: "2025-06-15"));

        history.Expect("us-eo-1", "2025-06-30", "2025-07-31", PolicyStatus.InForce, ("rate", 1));
        history.Expect("us-eo-1", "2025-07-01", "2025-07-31", PolicyStatus.Expired, ("rate", 1));
        history.Expect("us-eo-1", "2025-07-02", "2025-07-31", PolicyStatus.Expired, ("rate", 1));

        history.Expect("us-eo-1", "2025-06-14", "2025-08-01", PolicyStatus.InForce, ("rate", 1));
        history.Expect("us-eo-1", "2025-06-15", "2025-08-01", PolicyStatus.InForce, ("rate", 1));
        history.Expect("us-eo-1", "2025-07-01", "2025-08-01", PolicyStatus.InForce, ("rate", 1));
        history.Expect("us-eo-1", "2025-12-30", "2025-08-01", PolicyStatus.InForce, ("rate", 1));
        history.Expect("us-eo-1", "2025-12-31", "2025-08-01", PolicyStatus.Expired, ("rate", 1));
        Assert.Equal(At.Utc("2025-12-31T05:00:00Z"), history.On("us-eo-1", "2025-07-01", "2025-08-01")!.State.ExpiresAt);
    }

    /// <summary>An explicit sunset ends the instrument from its effective time; an extension after it brings it back until the new expiry.</summary>
    [Fact]
    public void AnExplicitExpiry_EndsTheInstrument_UntilAnExtensionTakesEffect()
    {
        var history = new RecordedHistory()
            .Record("2025-01-01T16:00:00Z", Issue("us-eo-1", "2025-01-01", ("rate", 1)))
            .Record("2025-04-01T16:00:00Z", Expire("us-eo-1", "2025-05-01"))
            .Record("2025-06-01T16:00:00Z", Extend("us-eo-1", expiresAt: "2025-12-31", effectiveAt: "2025-05-15"));

        history.Expect("us-eo-1", "2025-04-30", "2025-04-01", PolicyStatus.InForce, ("rate", 1));
        history.Expect("us-eo-1", "2025-05-01", "2025-04-01", PolicyStatus.Expired, ("rate", 1));
        history.Expect("us-eo-1", "2025-05-16", "2025-04-01", PolicyStatus.Expired, ("rate", 1));

        history.Expect("us-eo-1", "2025-05-14", "2025-06-01", PolicyStatus.Expired, ("rate", 1));
        history.Expect("us-eo-1", "2025-05-15", "2025-06-01", PolicyStatus.InForce, ("rate", 1));
        history.Expect("us-eo-1", "2025-12-31", "2025-06-01", PolicyStatus.Expired, ("rate", 1));
    }
}
