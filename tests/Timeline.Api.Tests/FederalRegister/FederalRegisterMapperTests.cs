using System.Text.Json.Nodes;
using Timeline.Dataset.FederalRegister;
using Timeline.Dataset.Requests;
using static Timeline.Api.Tests.FederalRegister.FederalRegisterFixtures;

namespace Timeline.Api.Tests.FederalRegister;

/// <summary>What each Federal Register document maps to, without a service.</summary>
public sealed class FederalRegisterMapperTests
{
    [Fact]
    public void ARuleIsIssuedAsARuleWithItsEffectiveAndPublicationDatesAndFullCitation()
    {
        var plan = Map("2022-21658.json");

        var issue = Assert.Single(plan.Writes);
        Assert.Equal(WriteKind.Issue, issue.Kind);
        Assert.Equal("us-fr-2022-21658", issue.PolicyId);
        Assert.Equal("rule", (string?)issue.Body["kind"]);
        Assert.Equal("2022-10-07", (string?)issue.Body["effectiveAt"]);
        Assert.Equal("2022-10-13", (string?)issue.Body["publishedOn"]);
        Assert.Equal("87 FR 62186; FR Doc. 2022-21658; RIN 0694-AI94", (string?)issue.Body["citation"]);
        Assert.Equal("export-controls", (string?)issue.Body["topics"]![0]);
        Assert.Equal("Industry and Security Bureau, Commerce Department", (string?)issue.Body["authority"]);
        Assert.IsType<Timeline.Domain.Issuing.IssuePolicy>(issue.ToCommand());
    }

    [Fact]
    public void ARuleTheCuratedDatasetHoldsGetsTheDatasetsId()
    {
        var plan = Map("2022-21658.json", DatasetIds);

        Assert.Equal("us-bis-2022-10-07-advanced-computing", plan.Writes[0].PolicyId);
    }

    [Fact]
    public void AnExecutiveOrderThatRevokesAnotherRescindsItFromItsSigningDate()
    {
        var plan = Map("2025-01901.json");

        var issue = Assert.Single(plan.Writes);
        Assert.Equal("us-eo-14148", issue.PolicyId);
        Assert.Equal("executive-order", (string?)issue.Body["kind"]);
        Assert.Equal("2025-01-20", (string?)issue.Body["effectiveAt"]);
        Assert.Equal("2025-01-20", (string?)issue.Body["signedOn"]);
        Assert.Equal(["us-eo-14110"], issue.Body["rescinds"]!.AsArray().Select(id => (string?)id));
        // The signing date as effective date is an inference, and the record says so.
        Assert.Equal("unverified", (string?)issue.Body["confidence"]!["fields"]!["effectiveAt"]);
        Assert.Equal(["us-eo-14110"], plan.Prerequisites);
    }

    [Fact]
    public void ARevokedByNoteIsLeftToTheRevokingDocument()
    {
        var plan = Map("2023-24283.json");

        Assert.Null(plan.Writes[0].Body["rescinds"]);
        Assert.Contains(plan.Notes, note => note.Contains("Revoked by: EO 14148", StringComparison.Ordinal));
        Assert.Empty(plan.Prerequisites);
    }

    [Fact]
    public void AProclamationWithoutItsStatedEffectiveTimeIsRefusedNotGuessed()
    {
        var plan = Map("2025-18601.json");

        Assert.False(plan.CanImport);
        Assert.Empty(plan.Writes);
        Assert.Contains(plan.Errors, error => error.Contains("effective time", StringComparison.Ordinal));
    }

    [Fact]
    public void ACorrectingAmendmentThatDoesNotNameWhatItCorrectsIsRefused()
    {
        var plan = Map("2025-02655.json");

        Assert.False(plan.CanImport);
        Assert.Contains(plan.Errors, error => error.Contains("correction_of is empty", StringComparison.Ordinal));
    }

    [Fact]
    public void ACorrectionAmendsTheRuleItCorrectsWithItsOwnEffectiveAndPublicationDates()
    {
        var correction = Synthetic("2025-02655.json",
            ("document_number", "2099-00001"),
            ("title", "Synthetic correction for the test"),
            ("correction_of", "https://www.federalregister.gov/api/v1/documents/2022-21658"));

        var plan = FederalRegisterMapper.Map("synthetic", correction, DatasetIds);

        var amendment = Assert.Single(plan.Writes);
        Assert.Equal(WriteKind.Amend, amendment.Kind);
        Assert.Equal("us-bis-2022-10-07-advanced-computing", amendment.PolicyId);
        Assert.Equal("2025-02-11", (string?)amendment.Body["effectiveAt"]);
        Assert.Equal("2025-02-14", (string?)amendment.Body["publishedOn"]);
        Assert.NotNull(amendment.Body["set"]!["correcting-amendment.2099-00001"]);
    }

    [Fact]
    public void AnOrderThatAmendsAnotherAlsoAmendsThatOrder()
    {
        var order = Synthetic("2025-02172.json",
            ("document_number", "2099-00002"),
            ("executive_order_number", 99999),
            ("executive_order_notes", "Amends: EO 14179, January 23, 2025\r\nSee: EO 14110"));

        var plan = FederalRegisterMapper.Map("synthetic", order, NoIds);

        Assert.Equal(2, plan.Writes.Count);
        Assert.Equal(WriteKind.Amend, plan.Writes[1].Kind);
        Assert.Equal("us-eo-14179", plan.Writes[1].PolicyId);
        Assert.Equal("us-eo-99999", (string?)plan.Writes[1].Body["byPolicyId"]);
        Assert.Equal(["us-eo-14179"], plan.Prerequisites);
    }

    [Theory]
    [InlineData("2022-22037.json", "is not a policy instrument")]
    [InlineData("malformed.json", "document_number is missing")]
    public void AnUnknownOrMalformedDocumentGetsItsOwnErrorReport(string file, string expected)
    {
        var plan = Map(file);

        Assert.False(plan.CanImport);
        Assert.Contains(plan.Errors, error => error.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void TextThatIsNotJsonIsReportedAsSuch()
    {
        var plan = Assert.Single(FederalRegisterMapper.MapFile("broken.json", "{ \"document_number\": ", NoIds));

        Assert.Contains(plan.Errors, error => error.StartsWith("not JSON", StringComparison.Ordinal));
    }

    [Fact]
    public void ASearchAnswerGivesOnePlanPerResult()
    {
        var plans = FederalRegisterMapper.MapFile("search-results.json", Read("search-results.json"), NoIds);

        Assert.Equal(["2025-02172", "2022-21658"], plans.Select(plan => plan.DocumentNumber));
        Assert.All(plans, plan => Assert.True(plan.CanImport));
        Assert.Equal("search-results.json#results[1]", plans[1].Source);
    }

    [Fact]
    public void AnExecutiveOrderNumberMayComeAsAString()
    {
        var order = Synthetic("2025-02172.json", ("executive_order_number", JsonValue.Create("14179")));

        Assert.Equal("us-eo-14179", FederalRegisterMapper.Map("x", order, NoIds).Writes[0].PolicyId);
    }
}
