using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using static Timeline.Domain.Tests.Commands;
using static Timeline.Domain.Tests.DecisionSpec;

namespace Timeline.Domain.Tests.Expiry;

/// <summary>Extensions and explicit expiries; one partial file per command.</summary>
public partial class ExpirySpecs
{
    [Fact]
    public void GivenPolicyWithAnExpiry_WhenExtended_ThenTheNewExpiryIsRecordedFromTheExtensionsEffectiveTime() =>
        Given(Issue("us-eo-1", "2025-01-01") with { ExpiresAt = "2025-07-01" })
            .When(Extend("us-eo-1", expiresAt: "2025-12-31", effectiveAt: "2025-06-15"))
            .Then(new PolicyExtended("us-eo-1", At.Utc("2025-06-15T04:00:00Z"), At.Utc("2025-12-31T05:00:00Z")));

    [Fact]
    public void GivenPolicyWithAnExpiry_WhenExtendedWithoutAnEffectiveTime_ThenTheExtensionAppliesFromItsRecordTime()
    {
        var spec = Given(Issue("us-eo-1", "2025-01-01") with { ExpiresAt = "2027-01-01" })
            .When(Extend("us-eo-1", expiresAt: "2028-01-01"));

        spec.Then(new PolicyExtended("us-eo-1", spec.WhenRecordedAt, At.Utc("2028-01-01T05:00:00Z")));
    }

    [Fact]
    public void GivenPolicyInForce_WhenExtendedToAnExpiryBeforeTheExtensionTakesEffect_ThenRejectedAsUnprocessable() =>
        Given(Issue("us-eo-1", "2025-01-01"))
            .When(Extend("us-eo-1", expiresAt: "2025-03-01", effectiveAt: "2025-04-01"))
            .ThenRejected(RejectionKind.Unprocessable);

    [Fact]
    public void GivenRescindedPolicy_WhenExtendedAfterTheRescission_ThenRejectedAsConflict() =>
        Given(Issue("us-eo-1", "2025-01-01") with { ExpiresAt = "2025-07-01" }, Rescind("us-eo-1", "2025-03-01"))
            .When(Extend("us-eo-1", expiresAt: "2025-12-31", effectiveAt: "2025-04-01"))
            .ThenRejected(RejectionKind.Conflict);

    [Fact]
    public void GivenIssuedPolicy_WhenExtendedBeforeIssue_ThenRejectedAsUnprocessable() =>
        Given(Issue("us-eo-1", "2025-03-01") with { ExpiresAt = "2025-07-01" })
            .When(Extend("us-eo-1", expiresAt: "2025-12-31", effectiveAt: "2025-02-01"))
            .ThenRejected(RejectionKind.Unprocessable);

    [Fact]
    public void GivenUnknownPolicy_WhenExtended_ThenRejectedAsNotFound() =>
        Given()
            .When(Extend("us-eo-1", expiresAt: "2025-12-31", effectiveAt: "2025-02-01"))
            .ThenRejected(RejectionKind.NotFound);

    [Fact]
    public void GivenPolicyInForce_WhenExtendedWithoutANewExpiry_ThenRejectedAsInvalid() =>
        Given(Issue("us-eo-1", "2025-01-01"))
            .When(new Timeline.Domain.Expiry.ExtendPolicy("us-eo-1", null, "2025-02-01"))
            .ThenRejected(RejectionKind.Invalid, "expiresAt");
}
