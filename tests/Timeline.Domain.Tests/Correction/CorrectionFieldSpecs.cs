using Timeline.Domain.Decisions;
using static Timeline.Domain.Tests.Commands;
using static Timeline.Domain.Tests.DecisionSpec;

namespace Timeline.Domain.Tests.Correction;

/// <summary>
/// A correction is a JSON merge patch, in which null removes a field. Removing a field the event cannot do
/// without is refused like any other invalid field (HTTP-API.md: "400 malformed or invalid field ... Never
/// 500 for bad input"), and a correction cannot store what a command could not.
/// </summary>
public class CorrectionFieldSpecs
{
    [Theory]
    [InlineData("""{"provisions": null}""", "changes.provisions")]
    [InlineData("""{"timeZone": null}""", "changes.timeZone")]
    [InlineData("""{"kind": null}""", "changes.kind")]
    public void GivenIssuedRule_WhenACorrectionRemovesARequiredField_ThenRejectedAsInvalid(string changes, string field)
    {
        var spec = Given(Issue("us-bis-rule-1", "2025-01-01", ("rate", 1)) with { Kind = "rule" });

        var rejection = spec.When(Correct("us-bis-rule-1", spec.EventId("us-bis-rule-1", 1), changes)).ThenRejected(RejectionKind.Invalid);

        Assert.Contains(rejection.Errors!.Keys, key => key.StartsWith(field, StringComparison.Ordinal) || key == "changes");
    }

    [Fact]
    public void GivenAmendedPolicy_WhenACorrectionRemovesWhatTheAmendmentSets_ThenRejectedAsInvalid()
    {
        var spec = Given(Issue("us-eo-1", "2025-01-01", ("rate", 1)), Amend("us-eo-1", "2025-02-01", ("rate", 2)));

        spec.When(Correct("us-eo-1", spec.EventId("us-eo-1", 2), """{"set": null}"""))
            .ThenRejected(RejectionKind.Invalid);
    }

    /// <summary>An issue command refuses a signed date outside the years 1000 to 9998; so does a correction.</summary>
    [Theory]
    [InlineData("signedOn")]
    [InlineData("publishedOn")]
    public void GivenIssuedPolicy_WhenACorrectionSetsADateBeforeTheYear1000_ThenRejectedAsInvalid(string field)
    {
        var spec = Given(Issue("us-eo-1", "2025-01-01"));

        spec.When(Correct("us-eo-1", spec.EventId("us-eo-1", 1), $$"""{"{{field}}": "0500-01-01"}"""))
            .ThenRejected(RejectionKind.Invalid);
    }
}
