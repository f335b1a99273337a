using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using static Timeline.Domain.Tests.Commands;
using static Timeline.Domain.Tests.DecisionSpec;

namespace Timeline.Domain.Tests.Expiry;

public partial class ExpirySpecs
{
    [Fact]
    public void GivenPolicyInForce_WhenExpired_ThenTheSunsetIsRecorded() =>
        Given(Issue("us-eo-1", "2025-01-01"))
            .When(Expire("us-eo-1", "2025-06-30"))
            .Then(new PolicyExpired("us-eo-1", At.Utc("2025-06-30T04:00:00Z")));

    [Fact]
    public void GivenSuspendedPolicy_WhenExpired_ThenAccepted() =>
        Given(Issue("us-eo-1", "2025-01-01"), Suspend("us-eo-1", "2025-02-01"))
            .When(Expire("us-eo-1", "2025-06-30"))
            .Then(new PolicyExpired("us-eo-1", At.Utc("2025-06-30T04:00:00Z")));

    [Fact]
    public void GivenExpiredPolicy_WhenExpiredAgainLater_ThenRejectedAsConflict() =>
        Given(Issue("us-eo-1", "2025-01-01"), Expire("us-eo-1", "2025-06-30"))
            .When(Expire("us-eo-1", "2025-07-31"))
            .ThenRejected(RejectionKind.Conflict);

    [Fact]
    public void GivenPolicyPastItsExpiry_WhenExpiredAfterThat_ThenRejectedAsConflict() =>
        Given(Issue("us-eo-1", "2025-01-01") with { ExpiresAt = "2025-06-30" })
            .When(Expire("us-eo-1", "2025-07-31"))
            .ThenRejected(RejectionKind.Conflict);

    [Fact]
    public void GivenRescindedPolicy_WhenExpiredAfterTheRescission_ThenRejectedAsConflict() =>
        Given(Issue("us-eo-1", "2025-01-01"), Rescind("us-eo-1", "2025-03-01"))
            .When(Expire("us-eo-1", "2025-06-30"))
            .ThenRejected(RejectionKind.Conflict);

    [Fact]
    public void GivenIssuedPolicy_WhenExpiredBeforeIssue_ThenRejectedAsUnprocessable() =>
        Given(Issue("us-eo-1", "2025-03-01"))
            .When(Expire("us-eo-1", "2025-02-01"))
            .ThenRejected(RejectionKind.Unprocessable);

    [Fact]
    public void GivenUnknownPolicy_WhenExpired_ThenRejectedAsNotFound() =>
        Given()
            .When(Expire("us-eo-1", "2025-02-01"))
            .ThenRejected(RejectionKind.NotFound);
}
