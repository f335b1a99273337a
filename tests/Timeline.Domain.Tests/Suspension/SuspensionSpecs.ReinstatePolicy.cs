using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using Timeline.Domain.Suspension;
using static Timeline.Domain.Tests.Commands;
using static Timeline.Domain.Tests.DecisionSpec;

namespace Timeline.Domain.Tests.Suspension;

public partial class SuspensionSpecs
{
    [Fact]
    public void GivenSuspendedPolicy_WhenReinstated_ThenTheReinstatementIsRecorded() =>
        Given(Issue("us-eo-1", "2025-01-01"), Suspend("us-eo-1", "2025-02-01"))
            .When(new ReinstatePolicy("us-eo-1", "2025-02-10", "stay granted", By: "9th Cir."))
            .Then(new PolicyReinstated("us-eo-1", At.Utc("2025-02-10T05:00:00Z"), "stay granted", "9th Cir."));

    [Fact]
    public void GivenSuspendedPolicy_WhenReinstatedAtTheSameTimeAsTheSuspension_ThenAccepted() =>
        Given(Issue("us-eo-1", "2025-01-01"), Suspend("us-eo-1", "2025-02-01"))
            .When(Reinstate("us-eo-1", "2025-02-01"))
            .Then(new PolicyReinstated("us-eo-1", At.Utc("2025-02-01T05:00:00Z"), "injunction stayed"));

    [Fact]
    public void GivenPolicyInForce_WhenReinstated_ThenRejectedAsConflict() =>
        Given(Issue("us-eo-1", "2025-01-01"))
            .When(Reinstate("us-eo-1", "2025-02-01"))
            .ThenRejected(RejectionKind.Conflict);

    [Fact]
    public void GivenSuspendedPolicy_WhenReinstatedBeforeTheSuspension_ThenRejectedAsConflict() =>
        Given(Issue("us-eo-1", "2025-01-01"), Suspend("us-eo-1", "2025-02-01"))
            .When(Reinstate("us-eo-1", "2025-01-15"))
            .ThenRejected(RejectionKind.Conflict);

    [Fact]
    public void GivenSuspendedThenRescindedPolicy_WhenReinstatedAfterTheRescission_ThenRejectedAsConflict() =>
        Given(Issue("us-eo-1", "2025-01-01"), Suspend("us-eo-1", "2025-02-01"), Rescind("us-eo-1", "2025-03-01"))
            .When(Reinstate("us-eo-1", "2025-04-01"))
            .ThenRejected(RejectionKind.Conflict);

    [Fact]
    public void GivenUnknownPolicy_WhenReinstated_ThenRejectedAsNotFound() =>
        Given()
            .When(Reinstate("us-eo-1", "2025-02-01"))
            .ThenRejected(RejectionKind.NotFound);

    [Fact]
    public void GivenSuspendedPolicy_WhenReinstatedWithABlankReason_ThenRejectedAsInvalid() =>
        Given(Issue("us-eo-1", "2025-01-01"), Suspend("us-eo-1", "2025-02-01"))
            .When(new ReinstatePolicy("us-eo-1", "2025-03-01", "  "))
            .ThenRejected(RejectionKind.Invalid, "reason");
}
