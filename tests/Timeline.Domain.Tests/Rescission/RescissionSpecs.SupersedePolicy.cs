using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using Timeline.Domain.Rescission;
using static Timeline.Domain.Tests.Commands;
using static Timeline.Domain.Tests.DecisionSpec;

namespace Timeline.Domain.Tests.Rescission;

public partial class RescissionSpecs
{
    [Fact]
    public void GivenPolicyInForce_WhenSuperseded_ThenTheSupersessionIsRecorded() =>
        Given(Issue("us-bis-rule-2022", "2022-10-07"))
            .When(Supersede("us-bis-rule-2022", "2023-11-17", by: "us-bis-rule-2023"))
            .Then(new PolicySuperseded("us-bis-rule-2022", At.Utc("2023-11-17T05:00:00Z"), "us-bis-rule-2023"));

    [Fact]
    public void GivenRescindedPolicy_WhenSupersededLater_ThenRejectedAsConflict() =>
        Given(Issue("us-eo-1", "2025-01-01"), Rescind("us-eo-1", "2025-02-01"))
            .When(Supersede("us-eo-1", "2025-03-01", by: "us-eo-2"))
            .ThenRejected(RejectionKind.Conflict);

    [Fact]
    public void GivenIssuedPolicy_WhenSupersededBeforeIssue_ThenRejectedAsUnprocessable() =>
        Given(Issue("us-eo-1", "2025-03-01"))
            .When(Supersede("us-eo-1", "2025-02-01", by: "us-eo-2"))
            .ThenRejected(RejectionKind.Unprocessable);

    [Fact]
    public void GivenUnknownPolicy_WhenSuperseded_ThenRejectedAsNotFound() =>
        Given()
            .When(Supersede("us-eo-1", "2025-02-01", by: "us-eo-2"))
            .ThenRejected(RejectionKind.NotFound);

    [Fact]
    public void GivenPolicyInForce_WhenSupersededWithoutNamingTheSuccessor_ThenRejectedAsInvalid() =>
        Given(Issue("us-eo-1", "2025-01-01"))
            .When(new SupersedePolicy("us-eo-1", "2025-02-01", null))
            .ThenRejected(RejectionKind.Invalid, "byPolicyId");
}
