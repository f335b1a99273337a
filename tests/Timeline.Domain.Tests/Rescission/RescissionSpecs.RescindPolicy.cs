using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using static Timeline.Domain.Tests.Commands;
using static Timeline.Domain.Tests.DecisionSpec;

namespace Timeline.Domain.Tests.Rescission;

/// <summary>Rescissions and supersessions; one partial file per command.</summary>
public partial class RescissionSpecs
{
    [Fact]
    public void GivenPolicyInForce_WhenRescinded_ThenTheRescissionIsRecorded() =>
        Given(Issue("us-eo-14110", "2023-10-30"))
            .When(Rescind("us-eo-14110", "2025-01-20", by: "us-eo-14148"))
            .Then(new PolicyRescinded("us-eo-14110", At.Utc("2025-01-20T05:00:00Z"), "us-eo-14148"));

    [Fact]
    public void GivenRescindedPolicy_WhenRescindedAgainLater_ThenRejectedAsConflict() =>
        Given(Issue("us-eo-1", "2025-01-01"), Rescind("us-eo-1", "2025-02-01"))
            .When(Rescind("us-eo-1", "2025-03-01"))
            .ThenRejected(RejectionKind.Conflict);

    [Fact]
    public void GivenRescindedPolicy_WhenRescindedAgainAtTheSameTime_ThenRejectedAsConflict() =>
        Given(Issue("us-eo-1", "2025-01-01"), Rescind("us-eo-1", "2025-02-01"))
            .When(Rescind("us-eo-1", "2025-02-01T05:00:00Z"))
            .ThenRejected(RejectionKind.Conflict);

    [Fact]
    public void GivenRescindedPolicy_WhenRescindedFromAnEarlierTime_ThenAcceptedSinceItWasNotYetRescindedThen() =>
        Given(Issue("us-eo-1", "2025-01-01"), Rescind("us-eo-1", "2025-03-01"))
            .When(Rescind("us-eo-1", "2025-02-01"))
            .Then(new PolicyRescinded("us-eo-1", At.Utc("2025-02-01T05:00:00Z")));

    [Fact]
    public void GivenSupersededPolicy_WhenRescindedLater_ThenRejectedAsConflict() =>
        Given(Issue("us-eo-1", "2025-01-01"), Supersede("us-eo-1", "2025-02-01", by: "us-eo-2"))
            .When(Rescind("us-eo-1", "2025-03-01"))
            .ThenRejected(RejectionKind.Conflict);

    [Fact]
    public void GivenSuspendedPolicy_WhenRescinded_ThenAccepted() =>
        Given(Issue("us-eo-1", "2025-01-01"), Suspend("us-eo-1", "2025-02-01"))
            .When(Rescind("us-eo-1", "2025-03-01"))
            .Then(new PolicyRescinded("us-eo-1", At.Utc("2025-03-01T05:00:00Z")));

    [Fact]
    public void GivenIssuedPolicy_WhenRescindedBeforeIssue_ThenRejectedAsUnprocessable() =>
        Given(Issue("us-eo-1", "2025-03-01"))
            .When(Rescind("us-eo-1", "2025-02-01"))
            .ThenRejected(RejectionKind.Unprocessable);

    [Fact]
    public void GivenUnknownPolicy_WhenRescinded_ThenRejectedAsNotFound() =>
        Given()
            .When(Rescind("us-eo-1", "2025-02-01"))
            .ThenRejected(RejectionKind.NotFound);

    [Fact]
    public void GivenPolicyInForce_WhenRescindedByItself_ThenRejectedAsInvalid() =>
        Given(Issue("us-eo-1", "2025-01-01"))
            .When(Rescind("us-eo-1", "2025-02-01", by: "us-eo-1"))
            .ThenRejected(RejectionKind.Invalid, "byPolicyId");
}
