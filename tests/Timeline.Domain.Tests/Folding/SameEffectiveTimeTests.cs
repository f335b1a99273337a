using Timeline.Domain.Policies;
using static Timeline.Domain.Tests.Commands;

namespace Timeline.Domain.Tests.Folding;

/// <summary>TIME-MODEL.md, edge cases: "two events with the same effective time" apply in record order.</summary>
public class SameEffectiveTimeTests
{
    [Fact]
    public void TwoAmendmentsWithTheSameEffectiveTime_TheLaterRecordedWins_FromThatTime()
    {
        var history = new RecordedHistory()
            .Record("2025-01-01T16:00:00Z", Issue("us-eo-1", "2025-01-01", ("rate", 1)))
            .Record("2025-02-01T16:00:00Z", Amend("us-eo-1", "2025-03-01", ("rate", 2)))
            .Record("2025-02-02T16:00:00Z", Amend("us-eo-1", "2025-03-01T00:00:00-05:00", ("rate", 3)));

        history.Expect("us-eo-1", "2025-02-28", "2025-02-02", PolicyStatus.InForce, ("rate", 1));
        history.Expect("us-eo-1", "2025-03-01", "2025-02-02", PolicyStatus.InForce, ("rate", 3));
        history.Expect("us-eo-1", "2025-03-02", "2025-02-02", PolicyStatus.InForce, ("rate", 3));
        history.Expect("us-eo-1", "2025-03-01", "2025-02-01", PolicyStatus.InForce, ("rate", 2));
    }

    [Fact]
    public void ASuspensionAndAReinstatementWithTheSameEffectiveTime_LeaveItInForce()
    {
        var history = new RecordedHistory()
            .Record("2025-01-01T16:00:00Z", Issue("us-eo-1", "2025-01-01"))
            .Record("2025-02-01T16:00:00Z", Suspend("us-eo-1", "2025-03-01"))
            .Record("2025-02-02T16:00:00Z", Reinstate("us-eo-1", "2025-03-01"));

        history.Expect("us-eo-1", "2025-03-01", "2025-02-01", PolicyStatus.Suspended);
        history.Expect("us-eo-1", "2025-02-28", "2025-02-02", PolicyStatus.InForce);
        history.Expect("us-eo-1", "2025-03-01", "2025-02-02", PolicyStatus.InForce);
        history.Expect("us-eo-1", "2025-03-02", "2025-02-02", PolicyStatus.InForce);
    }

    [Fact]
    public void AnAmendmentAtTheIssuesOwnEffectiveTime_AppliesFromTheStart()
    {
        var history = new RecordedHistory()
            .Record("2025-01-01T16:00:00Z", Issue("us-eo-1", "2025-01-01", ("rate", 1)))
            .Record("2025-01-02T16:00:00Z", Amend("us-eo-1", "2025-01-01", ("rate", 2)));

        history.Expect("us-eo-1", "2024-12-31", "2025-01-02", PolicyStatus.Pending, ("rate", 1));
        history.Expect("us-eo-1", "2025-01-01T05:00:00Z", "2025-01-02", PolicyStatus.InForce, ("rate", 2));
        history.Expect("us-eo-1", "2025-01-02", "2025-01-02", PolicyStatus.InForce, ("rate", 2));
    }

    [Fact]
    public void AnAmendmentCorrectedOntoAnotherAmendmentsTime_KeepsItsOwnRecordOrder()
    {
        var history = new RecordedHistory()
            .Record("2025-01-01T16:00:00Z", Issue("us-eo-1", "2025-01-01", ("rate", 1)))
            .Record("2025-02-01T16:00:00Z", Amend("us-eo-1", "2025-06-01", ("rate", 2)))
            .Record("2025-02-02T16:00:00Z", Amend("us-eo-1", "2025-03-01", ("rate", 3)));
        history.Record("2025-02-03T16:00:00Z", Correct("us-eo-1", history.EventId("us-eo-1", 2), """{"effectiveAt": "2025-03-01"}"""));

        // Both now take effect on March 1; the one recorded second (rate 3) applies last.
        history.Expect("us-eo-1", "2025-03-01", "2025-02-03", PolicyStatus.InForce, ("rate", 3));
        history.Expect("us-eo-1", "2025-06-01", "2025-02-03", PolicyStatus.InForce, ("rate", 3));
    }
}
