using Timeline.Domain.Amending;
using Timeline.Domain.Decisions;
using Timeline.Domain.Issuing;
using Timeline.Domain.Policies;
using static Timeline.Domain.Tests.Commands;
using static Timeline.Domain.Tests.DecisionSpec;

namespace Timeline.Domain.Tests.Amending;

public class AmendingSpecs
{
    [Fact]
    public void GivenIssuedPolicy_WhenAmended_ThenTheAmendmentIsRecordedFromTheStartOfThatDayInItsZone() =>
        Given(new IssuePolicy("jp-meti-1", "rule", "Export rule", "JP", ["trade"], "2025-01-01"))
            .When(new AmendPolicy("jp-meti-1", "2025-04-01", Provisions(("threshold", 4800)), null, Summary: "raised"))
            .Then(new PolicyAmended("jp-meti-1", At.Utc("2025-03-31T15:00:00Z"), Provisions(("threshold", 4800)), default, Summary: "raised"));

    [Fact]
    public void GivenIssuedPolicy_WhenAmendedBeforeIssue_ThenRejectedAsUnprocessable() =>
        Given(Issue("us-eo-1", "2025-01-20"))
            .When(Amend("us-eo-1", "2025-01-19", ("rate", 10)))
            .ThenRejected(RejectionKind.Unprocessable);

    [Fact]
    public void GivenIssuedPolicy_WhenAmendedAMicrosecondBeforeIssue_ThenRejectedAsUnprocessable() =>
        Given(Issue("us-eo-1", "2025-01-20T05:00:00Z"))
            .When(Amend("us-eo-1", "2025-01-20T04:59:59.999999Z", ("rate", 10)))
            .ThenRejected(RejectionKind.Unprocessable);

    [Fact]
    public void GivenIssuedPolicy_WhenAmendedAtTheSameTimeAsIssue_ThenAccepted() =>
        Given(Issue("us-eo-1", "2025-01-20"))
            .When(Amend("us-eo-1", "2025-01-20", ("rate", 10)))
            .Then(new PolicyAmended("us-eo-1", At.Utc("2025-01-20T05:00:00Z"), Provisions(("rate", 10)), default));

    [Fact]
    public void GivenUnknownPolicy_WhenAmended_ThenRejectedAsNotFound() =>
        Given(Issue("us-eo-1", "2025-01-20"))
            .When(Amend("us-eo-2", "2025-02-01", ("rate", 10)))
            .ThenRejected(RejectionKind.NotFound);

    [Fact]
    public void GivenAmendedPolicy_WhenAmendedEffectiveBeforeThatAmendment_ThenAccepted() =>
        Given(Issue("us-eo-1", "2025-01-01"), Amend("us-eo-1", "2025-06-01", ("rate", 20)))
            .When(Amend("us-eo-1", "2025-03-01", ("rate", 10)))
            .Then(new PolicyAmended("us-eo-1", At.Utc("2025-03-01T05:00:00Z"), Provisions(("rate", 10)), default));

    [Fact]
    public void GivenRescindedPolicy_WhenAmendedAfterTheRescission_ThenRejectedAsConflict() =>
        Given(Issue("us-eo-1", "2025-01-01"), Rescind("us-eo-1", "2025-03-01"))
            .When(Amend("us-eo-1", "2025-04-01", ("rate", 10)))
            .ThenRejected(RejectionKind.Conflict);

    [Fact]
    public void GivenRescindedPolicy_WhenAmendedWhileItWasStillInForce_ThenAccepted() =>
        Given(Issue("us-eo-1", "2025-01-01"), Rescind("us-eo-1", "2025-03-01"))
            .When(Amend("us-eo-1", "2025-02-01", ("rate", 10)))
            .Then(new PolicyAmended("us-eo-1", At.Utc("2025-02-01T05:00:00Z"), Provisions(("rate", 10)), default));

    [Fact]
    public void GivenIssuedPolicy_WhenRemovingAProvisionItHas_ThenTheRemovalIsRecorded() =>
        Given(Issue("us-eo-1", "2025-01-01", ("rate", 10), ("cap", 5)))
            .When(RemoveProvisions("us-eo-1", "2025-02-01", "cap"))
            .Then(new PolicyAmended("us-eo-1", At.Utc("2025-02-01T05:00:00Z"), Policies.Provisions.Empty, EquatableArray.From(["cap"])));

    [Fact]
    public void GivenPolicyWithAProvisionFromALaterAmendment_WhenRemovingItBeforeThen_ThenRejectedAsUnprocessable() =>
        Given(Issue("us-eo-1", "2025-01-01"), Amend("us-eo-1", "2025-06-01", ("cap", 5)))
            .When(RemoveProvisions("us-eo-1", "2025-03-01", "cap"))
            .ThenRejected(RejectionKind.Unprocessable);

    [Fact]
    public void GivenIssuedPolicy_WhenAmendmentSetsAndRemovesNothing_ThenRejectedAsInvalid() =>
        Given(Issue("us-eo-1", "2025-01-01"))
            .When(new AmendPolicy("us-eo-1", "2025-02-01", null, null))
            .ThenRejected(RejectionKind.Invalid, "set");

    [Fact]
    public void GivenIssuedPolicy_WhenAmendmentSetsAndRemovesTheSameProvision_ThenRejectedAsInvalid() =>
        Given(Issue("us-eo-1", "2025-01-01", ("rate", 1)))
            .When(new AmendPolicy("us-eo-1", "2025-02-01", Provisions(("rate", 2)), ["rate"]))
            .ThenRejected(RejectionKind.Invalid, "remove");

    [Fact]
    public void GivenIssuedPolicy_WhenAmendmentHasAMalformedProvisionKey_ThenRejectedAsInvalid() =>
        Given(Issue("us-eo-1", "2025-01-01"))
            .When(Amend("us-eo-1", "2025-02-01", ("Rate In USD", 1)))
            .ThenRejected(RejectionKind.Invalid, "set");

    [Fact]
    public void GivenIssuedPolicy_WhenAmendedByAMalformedInstrumentId_ThenRejectedAsInvalid() =>
        Given(Issue("us-eo-1", "2025-01-01"))
            .When(Amend("us-eo-1", "2025-02-01", ("rate", 1)) with { ByPolicyId = "EO 14148" })
            .ThenRejected(RejectionKind.Invalid, "byPolicyId");

    [Fact]
    public void GivenIssuedPolicy_WhenAmendedWithoutAnEffectiveTime_ThenRejectedAsInvalid() =>
        Given(Issue("us-eo-1", "2025-01-01"))
            .When(new AmendPolicy("us-eo-1", null, Provisions(("rate", 1)), null))
            .ThenRejected(RejectionKind.Invalid, "effectiveAt");
}
