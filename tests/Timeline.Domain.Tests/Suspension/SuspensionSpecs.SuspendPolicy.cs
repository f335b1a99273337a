using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using Timeline.Domain.Suspension;
using static Timeline.Domain.Tests.Commands;
using static Timeline.Domain.Tests.DecisionSpec;

namespace Timeline.Domain.Tests.Suspension;

/// <summary>Suspensions and reinstatements; one partial file per command.</summary>
public partial class SuspensionSpecs
{
    [Fact]
    public void GivenPolicyInForce_WhenSuspended_ThenTheSuspensionIsRecordedWithItsReason() =>
        Given(Issue("us-proc-h1b", "2025-09-21T00:01:00-04:00"))
            .When(new SuspendPolicy("us-proc-h1b", "2025-10-15", "preliminary injunction", By: "N.D. Cal."))
            .Then(new PolicySuspended("us-proc-h1b", At.Utc("2025-10-15T04:00:00Z"), "preliminary injunction", "N.D. Cal."));

    [Fact]
    public void GivenSuspendedPolicy_WhenSuspendedAgain_ThenRejectedAsConflict() =>
        Given(Issue("us-eo-1", "2025-01-01"), Suspend("us-eo-1", "2025-02-01"))
            .When(Suspend("us-eo-1", "2025-03-01"))
            .ThenRejected(RejectionKind.Conflict);

    [Fact]
    public void GivenSuspendedPolicy_WhenSuspendedBeforeThatSuspension_ThenAccepted() =>
        Given(Issue("us-eo-1", "2025-01-01"), Suspend("us-eo-1", "2025-03-01"))
            .When(Suspend("us-eo-1", "2025-02-01"))
            .Then(new PolicySuspended("us-eo-1", At.Utc("2025-02-01T05:00:00Z"), "court injunction"));

    [Fact]
    public void GivenIssuedPolicy_WhenSuspendedBeforeIssue_ThenRejectedAsUnprocessable() =>
        Given(Issue("us-eo-1", "2025-03-01"))
            .When(Suspend("us-eo-1", "2025-02-01"))
            .ThenRejected(RejectionKind.Unprocessable);

    [Fact]
    public void GivenRescindedPolicy_WhenSuspendedAfterTheRescission_ThenRejectedAsConflict() =>
        Given(Issue("us-eo-1", "2025-01-01"), Rescind("us-eo-1", "2025-02-01"))
            .When(Suspend("us-eo-1", "2025-03-01"))
            .ThenRejected(RejectionKind.Conflict);

    [Fact]
    public void GivenPolicyPastItsExpiry_WhenSuspended_ThenRejectedAsConflict() =>
        Given(Issue("us-eo-1", "2025-01-01") with { ExpiresAt = "2025-02-01" })
            .When(Suspend("us-eo-1", "2025-03-01"))
            .ThenRejected(RejectionKind.Conflict);

    [Fact]
    public void GivenUnknownPolicy_WhenSuspended_ThenRejectedAsNotFound() =>
        Given()
            .When(Suspend("us-eo-1", "2025-03-01"))
            .ThenRejected(RejectionKind.NotFound);

    [Fact]
    public void GivenPolicyInForce_WhenSuspendedWithoutAReason_ThenRejectedAsInvalid() =>
        Given(Issue("us-eo-1", "2025-01-01"))
            .When(new SuspendPolicy("us-eo-1", "2025-02-01", null))
            .ThenRejected(RejectionKind.Invalid, "reason");
}
