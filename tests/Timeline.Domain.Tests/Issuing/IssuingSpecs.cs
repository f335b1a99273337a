using Timeline.Domain.Decisions;
using Timeline.Domain.Issuing;
using Timeline.Domain.Policies;
using static Timeline.Domain.Tests.Commands;
using static Timeline.Domain.Tests.DecisionSpec;

namespace Timeline.Domain.Tests.Issuing;

public class IssuingSpecs
{
    [Fact]
    public void GivenNothing_WhenIssued_ThenIssuedRecordedWithItsDateAtTheStartOfThatDayInNewYork() =>
        Given()
            .When(new IssuePolicy(
                "us-eo-14148", "executive-order", "Initial Rescissions of Harmful Executive Orders and Actions", "US", ["ai"],
                "2025-01-20", SignedOn: "2025-01-20", PublishedOn: "2025-01-28", Provisions: Provisions(("revokes", "us-eo-14110")),
                Citation: "90 FR 8237"))
            .Then(new PolicyIssued(
                "us-eo-14148", PolicyKind.ExecutiveOrder, "Initial Rescissions of Harmful Executive Orders and Actions", "US", "America/New_York",
                EquatableArray.From(["ai"]), At.Utc("2025-01-20T05:00:00Z"), Provisions(("revokes", "us-eo-14110")), default, default,
                SignedOn: new DateOnly(2025, 1, 20), PublishedOn: new DateOnly(2025, 1, 28), Citation: "90 FR 8237"));

    [Fact]
    public void GivenNothing_WhenIssuedInTheEuWithoutAZone_ThenItsDatesAreStatedInBrussels() =>
        Given()
            .When(new IssuePolicy("eu-ai-act", "statute", "Artificial Intelligence Act", "EU", ["ai"], "2024-08-01"))
            .Then(new PolicyIssued(
                "eu-ai-act", PolicyKind.Statute, "Artificial Intelligence Act", "EU", "Europe/Brussels", EquatableArray.From(["ai"]),
                At.Utc("2024-07-31T22:00:00Z"), Policies.Provisions.Empty, default, default));

    [Fact]
    public void GivenNothing_WhenIssuedWithAStatedTime_ThenTheTimeIsKeptExactly() =>
        Given()
            .When(Issue("us-proc-h1b", "2025-09-21T00:01:00-04:00") with { Kind = "proclamation", ExpiresAt = "2026-09-21T00:01:00-04:00" })
            .Then(new PolicyIssued(
                "us-proc-h1b", PolicyKind.Proclamation, "Instrument us-proc-h1b", "US", "America/New_York", EquatableArray.From(["trade"]),
                At.Utc("2025-09-21T04:01:00Z"), Policies.Provisions.Empty, default, default, ExpiresAt: At.Utc("2026-09-21T04:01:00Z")));

    [Fact]
    public void GivenIssuedPolicy_WhenIssuedAgain_ThenRejectedAsConflict() =>
        Given(Issue("us-eo-1", "2025-01-20"))
            .When(Issue("us-eo-1", "2025-02-01"))
            .ThenRejected(RejectionKind.Conflict);

    [Fact]
    public void GivenNothing_WhenIssuedRescindingAnUnknownInstrument_ThenRejectedAsUnprocessable() =>
        Given()
            .When(Issue("us-eo-2", "2025-01-20") with { Rescinds = ["us-eo-1"] })
            .ThenRejected(RejectionKind.Unprocessable);

    [Fact]
    public void GivenIssuedPolicy_WhenAnotherIssuedRescindingIt_ThenTheRescissionIsRecordedInItsStreamAtTheSameTime()
    {
        var spec = Given(Issue("us-eo-14110", "2023-10-30"))
            .When(Issue("us-eo-14148", "2025-01-20") with { Rescinds = ["us-eo-14110"], Citation = "90 FR 8237" });

        spec.Then(
            new PolicyIssued(
                "us-eo-14148", PolicyKind.ExecutiveOrder, "Instrument us-eo-14148", "US", "America/New_York", EquatableArray.From(["trade"]),
                At.Utc("2025-01-20T05:00:00Z"), Policies.Provisions.Empty, EquatableArray.From(["us-eo-14110"]), default, Citation: "90 FR 8237"),
            new PolicyRescinded("us-eo-14110", At.Utc("2025-01-20T05:00:00Z"), "us-eo-14148", "90 FR 8237"));
        Assert.Equal(spec.Decision.Events[0].EventId, spec.Decision.Events[1].CausedBy);
    }

    [Fact]
    public void GivenIssuedPolicy_WhenAnotherIssuedSupersedingIt_ThenTheSupersessionIsRecordedInItsStream()
    {
        var spec = Given(Issue("us-bis-rule-2022", "2022-10-07"))
            .When(Issue("us-bis-rule-2023", "2023-11-17") with { Supersedes = ["us-bis-rule-2022"] });

        Assert.Equal(
            new PolicySuperseded("us-bis-rule-2022", At.Utc("2023-11-17T05:00:00Z"), "us-bis-rule-2023"),
            spec.Decision.Events[1].Data);
        Assert.Equal(spec.Decision.Events[0].EventId, spec.Decision.Events[1].CausedBy);
    }

    [Fact]
    public void GivenRescindedPolicy_WhenAnotherIssuedRescindingItLater_ThenRejectedAsConflict() =>
        Given(Issue("us-eo-1", "2025-01-01"), Rescind("us-eo-1", "2025-02-01"))
            .When(Issue("us-eo-2", "2025-03-01") with { Rescinds = ["us-eo-1"] })
            .ThenRejected(RejectionKind.Conflict);

    [Fact]
    public void GivenIssuedPolicy_WhenAnotherIssuedRescindingItBeforeItTakesEffect_ThenRejectedAsUnprocessable() =>
        Given(Issue("us-eo-1", "2025-03-01"))
            .When(Issue("us-eo-2", "2025-02-01") with { Rescinds = ["us-eo-1"] })
            .ThenRejected(RejectionKind.Unprocessable);

    public static TheoryData<string, IssuePolicy> InvalidIssues => new()
    {
        { "id", Issue("US EO 1", "2025-01-20") },
        { "kind", Issue("us-eo-1", "2025-01-20") with { Kind = "decree" } },
        { "title", Issue("us-eo-1", "2025-01-20") with { Title = " " } },
        { "jurisdiction", Issue("us-eo-1", "2025-01-20") with { Jurisdiction = "usa" } },
        { "timeZone", Issue("us-eo-1", "2025-01-20") with { TimeZone = "Eastern" } },
        { "topics", Issue("us-eo-1", "2025-01-20") with { Topics = [] } },
        { "effectiveAt", Issue("us-eo-1", "2025-02-30") },
        { "effectiveAt", Issue("us-eo-1", "2025-01-20T17:00:00") },
        { "signedOn", Issue("us-eo-1", "2025-01-20") with { SignedOn = "January 20, 2025" } },
        { "expiresAt", Issue("us-eo-1", "2025-01-20") with { ExpiresAt = "2025-01-20" } },
        { "rescinds", Issue("us-eo-1", "2025-01-20") with { Rescinds = ["us-eo-1"] } },
        { "supersedes", Issue("us-eo-1", "2025-01-20") with { Rescinds = ["us-eo-0"], Supersedes = ["us-eo-0"] } },
        { "sourceUrl", Issue("us-eo-1", "2025-01-20") with { SourceUrl = "ftp://example.org/eo" } },
        { "citation", Issue("us-eo-1", "2025-01-20") with { Citation = new string('x', 301) } },
        { "authority", Issue("us-eo-1", "2025-01-20") with { Authority = " " } },
        { "note", Issue("us-eo-1", "2025-01-20") with { Note = "bell\u0007" } },
        { "provisions", Issue("us-eo-1", "2025-01-20", ("Rate In USD", 1)) },
        { "rescinds[0]", Issue("us-eo-1", "2025-01-20") with { Rescinds = ["EO 14110"] } },
    };

    [Theory]
    [MemberData(nameof(InvalidIssues))]
    public void GivenNothing_WhenIssuedWithAnInvalidField_ThenRejectedAsInvalidNamingTheField(string field, IssuePolicy issue) =>
        Given()
            .When(issue)
            .ThenRejected(RejectionKind.Invalid, field);
}
