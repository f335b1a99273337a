using System.Text.Json.Nodes;
using Timeline.Domain.Correction;
using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using static Timeline.Domain.Tests.Commands;
using static Timeline.Domain.Tests.DecisionSpec;

namespace Timeline.Domain.Tests.Correction;

/// <summary>Corrections of earlier events; the cascade to other streams is in its own partial file.</summary>
public partial class CorrectionSpecs
{
    private static CorrectionChanges Changes(string json) => new(JsonNode.Parse(json)!.AsObject());

    [Fact]
    public void GivenAmendedPolicy_WhenTheAmendmentsEffectiveDateIsCorrected_ThenACorrectionIsRecordedWithThatDateAsAnInstantInItsZone()
    {
        var spec = Given(Issue("us-eo-1", "2025-01-01"), Amend("us-eo-1", "2025-06-01", ("rate", 20)));
        var amendment = spec.EventId("us-eo-1", 2);

        spec.When(Correct("us-eo-1", amendment, """{"effectiveAt": "2025-03-01"}"""))
            .Then(new PolicyCorrected("us-eo-1", amendment, Changes("""{"effectiveAt": "2025-03-01T05:00:00Z"}"""), "wrong in the source"));
    }

    [Fact]
    public void GivenIssuedPolicy_WhenAProvisionValueOfTheIssueIsCorrected_ThenTheCorrectedValueIsRecorded()
    {
        var spec = Given(Issue("us-proc-h1b", "2025-09-21T00:01:00-04:00", ("new-petition-payment-usd", 10000)));
        var issue = spec.EventId("us-proc-h1b", 1);

        spec.When(Correct("us-proc-h1b", issue, """{"provisions": {"new-petition-payment-usd": 100000}}"""))
            .Then(new PolicyCorrected("us-proc-h1b", issue, Changes("""{"provisions": {"new-petition-payment-usd": 100000}}"""), "wrong in the source"));
    }

    [Fact]
    public void GivenAmendedPolicy_WhenAProvisionValueOfTheAmendmentIsCorrected_ThenTheCorrectedValueIsRecorded()
    {
        var spec = Given(Issue("us-eo-1", "2025-01-01"), Amend("us-eo-1", "2025-06-01", ("rate", 20)));
        var amendment = spec.EventId("us-eo-1", 2);

        spec.When(Correct("us-eo-1", amendment, """{"set": {"rate": 25}}"""))
            .Then(new PolicyCorrected("us-eo-1", amendment, Changes("""{"set": {"rate": 25}}"""), "wrong in the source"));
    }

    [Fact]
    public void GivenIssuedPolicy_WhenCorrectingAnEventThatDoesNotExist_ThenRejectedAsUnprocessable() =>
        Given(Issue("us-eo-1", "2025-01-01"))
            .When(Correct("us-eo-1", Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), """{"effectiveAt": "2025-03-01"}"""))
            .ThenRejected(RejectionKind.Unprocessable);

    [Fact]
    public void GivenTwoPolicies_WhenCorrectingOneWithAnEventOfTheOther_ThenRejectedAsUnprocessable()
    {
        var spec = Given(Issue("us-eo-1", "2025-01-01"), Issue("us-eo-2", "2025-01-01"));

        spec.When(Correct("us-eo-1", spec.EventId("us-eo-2", 1), """{"effectiveAt": "2025-03-01"}"""))
            .ThenRejected(RejectionKind.Unprocessable);
    }

    [Fact]
    public void GivenUnknownPolicy_WhenCorrected_ThenRejectedAsNotFound()
    {
        var spec = Given(Issue("us-eo-1", "2025-01-01"));

        spec.When(Correct("us-eo-2", spec.EventId("us-eo-1", 1), """{"effectiveAt": "2025-03-01"}"""))
            .ThenRejected(RejectionKind.NotFound);
    }

    [Theory]
    [InlineData("recordedAt")]
    [InlineData("recordTime")]
    [InlineData("asOf")]
    public void GivenIssuedPolicy_WhenACorrectionNamesTheRecordTime_ThenRejectedAsInvalid(string field)
    {
        var spec = Given(Issue("us-eo-1", "2025-01-01"));

        spec.When(Correct("us-eo-1", spec.EventId("us-eo-1", 1), $$"""{"{{field}}": "2020-01-01T00:00:00Z"}"""))
            .ThenRejected(RejectionKind.Invalid, $"changes.{field}");
    }

    [Fact]
    public void GivenCorrectedPolicy_WhenTheCorrectionItselfIsCorrected_ThenRejectedAsUnprocessable()
    {
        var spec = Given(Issue("us-eo-1", "2025-01-01", ("rate", 1)));
        spec.And(Correct("us-eo-1", spec.EventId("us-eo-1", 1), """{"provisions": {"rate": 2}}"""));

        spec.When(Correct("us-eo-1", spec.EventId("us-eo-1", 2), """{"reason": "typo"}"""))
            .ThenRejected(RejectionKind.Unprocessable);
    }

    [Fact]
    public void GivenIssuedPolicy_WhenACorrectionChangesNothing_ThenRejectedAsUnprocessable()
    {
        var spec = Given(Issue("us-eo-1", "2025-01-01", ("rate", 1)));

        spec.When(Correct("us-eo-1", spec.EventId("us-eo-1", 1), """{"effectiveAt": "2025-01-01T05:00:00Z", "provisions": {"rate": 1}}"""))
            .ThenRejected(RejectionKind.Unprocessable);
    }

    [Theory]
    [InlineData("""{"policyId": "us-eo-9"}""", "changes.policyId")]
    [InlineData("""{"rescinds": ["us-eo-0"]}""", "changes.rescinds")]
    [InlineData("""{"reason": "not an issue field"}""", "changes.reason")]
    [InlineData("""{"effectiveAt": "January 1, 2025"}""", "changes.effectiveAt")]
    [InlineData("""{"expiresAt": "2024-12-31"}""", "changes.expiresAt")]
    [InlineData("""{"title": "  "}""", "changes.title")]
    public void GivenIssuedPolicy_WhenACorrectionNamesAFieldItCannotHold_ThenRejectedAsInvalid(string changes, string field)
    {
        var spec = Given(Issue("us-eo-1", "2025-01-01"));

        spec.When(Correct("us-eo-1", spec.EventId("us-eo-1", 1), changes))
            .ThenRejected(RejectionKind.Invalid, field);
    }

    [Fact]
    public void GivenIssuedPolicy_WhenACorrectionLacksItsEventItsChangesAndItsReason_ThenRejectedAsInvalidNamingEach()
    {
        var rejection = Given(Issue("us-eo-1", "2025-01-01"))
            .When(new CorrectEvent("us-eo-1", null, [], null))
            .ThenRejected(RejectionKind.Invalid);

        Assert.Equal(["changes", "eventId", "reason"], rejection.Errors!.Keys.Order());
    }

    [Fact]
    public void GivenAmendedPolicy_WhenTheAmendmentIsCorrectedToBeforeIssue_ThenRejectedAsUnprocessable()
    {
        var spec = Given(Issue("us-eo-1", "2025-01-01"), Amend("us-eo-1", "2025-06-01", ("rate", 20)));

        spec.When(Correct("us-eo-1", spec.EventId("us-eo-1", 2), """{"effectiveAt": "2024-12-31"}"""))
            .ThenRejected(RejectionKind.Unprocessable);
    }

    [Fact]
    public void GivenAmendedPolicy_WhenTheIssueIsCorrectedToAfterTheAmendment_ThenRejectedAsUnprocessable()
    {
        var spec = Given(Issue("us-eo-1", "2025-01-01"), Amend("us-eo-1", "2025-06-01", ("rate", 20)));

        spec.When(Correct("us-eo-1", spec.EventId("us-eo-1", 1), """{"effectiveAt": "2025-07-01"}"""))
            .ThenRejected(RejectionKind.Unprocessable);
    }

    [Fact]
    public void GivenRescindedPolicy_WhenASuspensionIsCorrectedToAfterTheRescission_ThenRejectedAsConflict()
    {
        var spec = Given(Issue("us-eo-1", "2025-01-01"), Suspend("us-eo-1", "2025-02-01"), Rescind("us-eo-1", "2025-03-01"));

        spec.When(Correct("us-eo-1", spec.EventId("us-eo-1", 2), """{"effectiveAt": "2025-04-01"}"""))
            .ThenRejected(RejectionKind.Conflict);
    }

    [Fact]
    public void GivenPolicyRescindedTwice_WhenTheLaterRescissionIsCorrectedToAfterTheFirst_ThenRejectedAsConflict()
    {
        var spec = Given(Issue("us-eo-1", "2025-01-01"), Rescind("us-eo-1", "2025-03-01"), Rescind("us-eo-1", "2025-02-01"));

        spec.When(Correct("us-eo-1", spec.EventId("us-eo-1", 2), """{"effectiveAt": "2025-02-15"}"""))
            .ThenRejected(RejectionKind.Conflict);
    }
}
