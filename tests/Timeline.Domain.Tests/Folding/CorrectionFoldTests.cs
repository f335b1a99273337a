using Timeline.Domain.Policies;
using static Timeline.Domain.Tests.Commands;

namespace Timeline.Domain.Tests.Folding;

/// <summary>
/// TIME-MODEL.md, edge cases: "a correction of an effective date or of a provision value". A correction
/// replaces nothing: as of before it, the record still reads as it did.
/// </summary>
public class CorrectionFoldTests
{
    [Fact]
    public void ACorrectedAmendmentEffectiveDate_MovesTheAmendment_AsOfAfterTheCorrection()
    {
        var history = new RecordedHistory()
            .Record("2025-01-01T16:00:00Z", Issue("us-eo-1", "2025-01-01", ("rate", 1)))
            .Record("2025-02-01T16:00:00Z", Amend("us-eo-1", "2025-06-01", ("rate", 2)));
        history.Record("2025-04-01T16:00:00Z", Correct("us-eo-1", history.EventId("us-eo-1", 2), """{"effectiveAt": "2025-03-01"}"""));

        history.Expect("us-eo-1", "2025-03-01", "2025-03-31", PolicyStatus.InForce, ("rate", 1));
        history.Expect("us-eo-1", "2025-06-01", "2025-03-31", PolicyStatus.InForce, ("rate", 2));

        history.Expect("us-eo-1", "2025-02-28", "2025-04-01", PolicyStatus.InForce, ("rate", 1));
        history.Expect("us-eo-1", "2025-03-01", "2025-04-01", PolicyStatus.InForce, ("rate", 2));
        history.Expect("us-eo-1", "2025-03-02", "2025-04-01", PolicyStatus.InForce, ("rate", 2));
    }

    [Fact]
    public void ACorrectedIssueEffectiveDate_MovesTheStartOfTheInstrument_AsOfAfterTheCorrection()
    {
        var history = new RecordedHistory()
            .Record("2025-01-10T16:00:00Z", Issue("us-eo-1", "2025-03-01", ("rate", 1)));
        history.Record("2025-01-20T16:00:00Z", Correct("us-eo-1", history.EventId("us-eo-1", 1), """{"effectiveAt": "2025-02-01"}"""));

        history.Expect("us-eo-1", "2025-02-01", "2025-01-19", PolicyStatus.Pending, ("rate", 1));
        history.Expect("us-eo-1", "2025-03-01", "2025-01-19", PolicyStatus.InForce, ("rate", 1));

        history.Expect("us-eo-1", "2025-01-31", "2025-01-20", PolicyStatus.Pending, ("rate", 1));
        history.Expect("us-eo-1", "2025-02-01", "2025-01-20", PolicyStatus.InForce, ("rate", 1));
        history.Expect("us-eo-1", "2025-02-02", "2025-01-20", PolicyStatus.InForce, ("rate", 1));
    }

    [Fact]
    public void ACorrectedProvisionValueOfTheIssue_ReadsCorrectedAsOfAfterTheCorrection_AndAsRecordedBefore()
    {
        var history = new RecordedHistory()
            .Record("2025-09-20T14:00:00Z", Issue("us-proc-h1b", "2025-09-21T00:01:00-04:00", ("new-petition-payment-usd", 10000)));
        history.Record("2025-09-22T14:00:00Z", Correct("us-proc-h1b", history.EventId("us-proc-h1b", 1), """{"provisions": {"new-petition-payment-usd": 100000}}"""));

        history.Expect("us-proc-h1b", "2025-09-21", "2025-09-21", PolicyStatus.InForce, ("new-petition-payment-usd", 10000));
        history.Expect("us-proc-h1b", "2025-09-22", "2025-09-21", PolicyStatus.InForce, ("new-petition-payment-usd", 10000));

        history.Expect("us-proc-h1b", "2025-09-20", "2025-09-22", PolicyStatus.Pending, ("new-petition-payment-usd", 100000));
        history.Expect("us-proc-h1b", "2025-09-21", "2025-09-22", PolicyStatus.InForce, ("new-petition-payment-usd", 100000));
        history.Expect("us-proc-h1b", "2025-09-22", "2025-09-22", PolicyStatus.InForce, ("new-petition-payment-usd", 100000));
    }

    [Fact]
    public void ACorrectedProvisionValueOfAnAmendment_ReadsCorrectedFromTheAmendmentsEffectiveTime_AsOfAfterTheCorrection()
    {
        var history = new RecordedHistory()
            .Record("2025-01-01T16:00:00Z", Issue("us-eo-1", "2025-01-01", ("rate", 1)))
            .Record("2025-02-01T16:00:00Z", Amend("us-eo-1", "2025-03-01", ("rate", 20)));
        history.Record("2025-04-01T16:00:00Z", Correct("us-eo-1", history.EventId("us-eo-1", 2), """{"set": {"rate": 2}}"""));

        history.Expect("us-eo-1", "2025-03-01", "2025-03-31", PolicyStatus.InForce, ("rate", 20));
        history.Expect("us-eo-1", "2025-02-28", "2025-04-01", PolicyStatus.InForce, ("rate", 1));
        history.Expect("us-eo-1", "2025-03-01", "2025-04-01", PolicyStatus.InForce, ("rate", 2));
        history.Expect("us-eo-1", "2025-03-02", "2025-04-01", PolicyStatus.InForce, ("rate", 2));
    }

    [Fact]
    public void TwoCorrectionsOfOneField_TheLaterRecordedWins()
    {
        var history = new RecordedHistory()
            .Record("2025-01-01T16:00:00Z", Issue("us-eo-1", "2025-01-01", ("rate", 1)));
        var issue = history.EventId("us-eo-1", 1);
        history
            .Record("2025-02-01T16:00:00Z", Correct("us-eo-1", issue, """{"provisions": {"rate": 2}}"""))
            .Record("2025-03-01T16:00:00Z", Correct("us-eo-1", issue, """{"provisions": {"rate": 3}}"""));

        history.Expect("us-eo-1", "2025-01-02", "2025-02-01", PolicyStatus.InForce, ("rate", 2));
        history.Expect("us-eo-1", "2025-01-02", "2025-03-01", PolicyStatus.InForce, ("rate", 3));
    }
}
