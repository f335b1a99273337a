using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using static Timeline.Domain.Tests.Commands;
using static Timeline.Domain.Tests.DecisionSpec;

namespace Timeline.Domain.Tests.Correction;

// The cascade: an instrument that rescinds or supersedes another wrote that event into the other's stream,
// effective when it takes effect; when its own effective time is corrected, that event moves with it.
public partial class CorrectionSpecs
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GivenPolicyRevokedByAnother_WhenTheOthersEffectiveDateIsCorrected_ThenTheRevocationMovesWithIt(bool rescinds)
    {
        var revoking = Issue("us-eo-14148", "2025-01-21");
        var spec = Given(
            Issue("us-eo-14110", "2023-10-30"),
            rescinds ? revoking with { Rescinds = ["us-eo-14110"] } : revoking with { Supersedes = ["us-eo-14110"] });
        var revokingIssue = spec.EventId("us-eo-14148", 1);
        var revocation = spec.EventId("us-eo-14110", 2);

        var events = spec.When(Correct("us-eo-14148", revokingIssue, """{"effectiveAt": "2025-01-20"}""")).Decision.Events;

        Assert.True(spec.Decision.IsAccepted, spec.Decision.Rejection?.Detail);
        Assert.Equal(2, events.Count);
        Assert.Equal(new PolicyCorrected("us-eo-14148", revokingIssue, Changes("""{"effectiveAt": "2025-01-20T05:00:00Z"}"""), "wrong in the source"), events[0].Data);
        var moved = Assert.IsType<PolicyCorrected>(events[1].Data);
        Assert.Equal(("us-eo-14110", revocation, Changes("""{"effectiveAt": "2025-01-20T05:00:00Z"}""")), (events[1].PolicyId, moved.EventId, moved.Changes));
        Assert.Equal(events[0].EventId, events[1].CausedBy);
    }

    [Fact]
    public void GivenPolicyRescindedByAnother_WhenAnotherFieldOfTheOthersIssueIsCorrected_ThenOnlyThatIssueIsCorrected()
    {
        var spec = Given(Issue("us-eo-1", "2025-01-01"), Issue("us-eo-2", "2025-03-01") with { Rescinds = ["us-eo-1"] });
        var issue = spec.EventId("us-eo-2", 1);

        spec.When(Correct("us-eo-2", issue, """{"title": "Revoking order"}"""))
            .Then(new PolicyCorrected("us-eo-2", issue, Changes("""{"title": "Revoking order"}"""), "wrong in the source"));
    }

    [Fact]
    public void GivenPolicyAlsoRescindedEarlierDirectly_WhenTheRescindersDateMovesAfterThat_ThenRejectedAsConflict()
    {
        var spec = Given(
            Issue("us-eo-1", "2025-01-01"),
            Issue("us-eo-2", "2025-03-01") with { Rescinds = ["us-eo-1"] },
            Rescind("us-eo-1", "2025-02-01"));

        spec.When(Correct("us-eo-2", spec.EventId("us-eo-2", 1), """{"effectiveAt": "2025-04-01"}"""))
            .ThenRejected(RejectionKind.Conflict);
    }

    /// <summary>
    /// The moved rescission would take effect before the instrument it rescinds: semantically impossible
    /// (422, like "an amendment effective before issue"), whatever part of the cascade finds it.
    /// </summary>
    [Fact]
    public void GivenPolicyRescindedByAnother_WhenTheRescindersDateMovesBeforeTheRescindedOneTakesEffect_ThenRejectedAsUnprocessable()
    {
        var spec = Given(Issue("us-eo-1", "2025-02-01"), Issue("us-eo-2", "2025-03-01") with { Rescinds = ["us-eo-1"] });

        spec.When(Correct("us-eo-2", spec.EventId("us-eo-2", 1), """{"effectiveAt": "2025-01-15"}"""))
            .ThenRejected(RejectionKind.Unprocessable);
    }
}
