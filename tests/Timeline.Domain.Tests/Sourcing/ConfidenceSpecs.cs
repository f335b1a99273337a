using System.Text.Json;
using Timeline.Domain.Amending;
using Timeline.Domain.Decisions;
using Timeline.Domain.Issuing;
using Timeline.Domain.Policies;
using Timeline.Domain.Rescission;
using Timeline.Domain.Suspension;
using Timeline.Testing;
using static Timeline.Domain.Tests.Commands;
using static Timeline.Domain.Tests.DecisionSpec;

namespace Timeline.Domain.Tests.Sourcing;

/// <summary>Confidence and the public-knowledge date: stated on events, checked like any field, and carried into the state.</summary>
public class ConfidenceSpecs
{
    private static readonly Confidence Secondary = new(ConfidenceLevel.Secondary);

    [Fact]
    public void GivenNothing_WhenIssuedWithConfidenceAndPublicKnowledgeDate_ThenBothAreRecorded()
    {
        var confidence = new Confidence(ConfidenceLevel.Verified, [KeyValuePair.Create("publishedOn", ConfidenceLevel.Unverified)]);
        var spec = Given().When(Issue("us-eo-1", "2025-01-20") with { PublishedOn = "2025-01-28", Confidence = confidence, PublicKnowledgeOn = "2025-01-21" });

        var issued = Assert.IsType<PolicyIssued>(Assert.Single(spec.Decision.Events).Data);
        Assert.Equal(confidence, issued.Confidence);
        Assert.Equal(new DateOnly(2025, 1, 21), issued.PublicKnowledgeOn);
    }

    [Fact]
    public void GivenIssuedPolicy_WhenAmendedWithConfidenceOfAFieldItDoesNotHave_ThenRejectedAsInvalid() =>
        Given(Issue("us-eo-1", "2025-01-20"))
            .When(Amend("us-eo-1", "2025-02-01", ("rate", 10)) with
            {
                Confidence = new Confidence(ConfidenceLevel.Verified, [KeyValuePair.Create("set.other", ConfidenceLevel.Unverified)]),
            })
            .ThenRejected(RejectionKind.Invalid, "confidence.fields");

    [Fact]
    public void GivenNothing_WhenIssuedWithAnEmptyConfidence_ThenRejectedAsInvalid() =>
        Given().When(Issue("us-eo-1", "2025-01-20") with { Confidence = new Confidence(null) }).ThenRejected(RejectionKind.Invalid, "confidence");

    [Fact]
    public void GivenNothing_WhenIssuedWithAMalformedPublicKnowledgeDate_ThenRejectedAsInvalid() =>
        Given().When(Issue("us-eo-1", "2025-01-20") with { PublicKnowledgeOn = "15 April 2025" }).ThenRejected(RejectionKind.Invalid, "publicKnowledgeOn");

    [Fact]
    public void GivenIssuedPolicy_WhenAnotherRescindsIt_ThenTheRescissionCarriesTheLevelOfTheRelation()
    {
        var confidence = new Confidence(ConfidenceLevel.Verified, [KeyValuePair.Create("rescinds", ConfidenceLevel.Secondary)]);
        var spec = Given(Issue("us-eo-1", "2023-10-30"))
            .When(Issue("us-eo-2", "2025-01-20") with { Rescinds = ["us-eo-1"], Confidence = confidence, PublicKnowledgeOn = "2025-01-20" });

        var rescinded = Assert.IsType<PolicyRescinded>(spec.Decision.Events[1].Data);
        Assert.Equal(Secondary, rescinded.Confidence);
        Assert.Equal(new DateOnly(2025, 1, 20), rescinded.PublicKnowledgeOn);
    }

    [Fact]
    public void AFoldedStateListsTheFieldsWhoseLevelDiffersFromTheInstruments()
    {
        var log = new InMemoryPolicyLog();
        var recordedAt = At.Utc("2026-01-01T00:00:00Z");
        void Run(IPolicyCommand command) => Assert.True(log.Execute(command, recordedAt = recordedAt.AddHours(1)).IsAccepted);

        Run(Issue("us-eo-1", "2025-01-01", ("fee", 100)) with
        {
            Confidence = new Confidence(ConfidenceLevel.Verified, [KeyValuePair.Create("publishedOn", ConfidenceLevel.Unverified)]),
        });
        Run(new AmendPolicy("us-eo-1", "2025-02-01", Provisions(("scope", "new"), ("fee", 100)), null, Confidence: new Confidence(
            ConfidenceLevel.Secondary, [KeyValuePair.Create("set.fee", ConfidenceLevel.Verified)])));
        Run(new SuspendPolicy("us-eo-1", "2025-03-01", "vacated", Confidence: new Confidence(ConfidenceLevel.Unverified)));
        Run(new AmendPolicy("us-eo-1", "2025-04-01", null, ["scope"]));

        Confidence? ConfidenceAt(string day) => ReferenceFold.StateAt(log.HistoryOf("us-eo-1"), At.Utc(day + "T12:00:00Z"), DateTimeOffset.MaxValue)!.State.Confidence;

        Assert.Equal("verified {publishedOn: unverified}", ConfidenceAt("2025-01-15")!.ToString());
        Assert.Equal("verified {provisions.scope: secondary, publishedOn: unverified}", ConfidenceAt("2025-02-15")!.ToString());
        Assert.Equal("verified {provisions.scope: secondary, publishedOn: unverified, status: unverified}", ConfidenceAt("2025-03-15")!.ToString());
        Assert.Equal("verified {publishedOn: unverified, status: unverified}", ConfidenceAt("2025-04-15")!.ToString());
    }

    [Fact]
    public void AnEventWrittenBeforeConfidenceExistedStillReads()
    {
        const string Stored = """{"policyId":"us-eo-1","effectiveAt":"2025-01-20T05:00:00Z","byPolicyId":"us-eo-2"}""";

        var rescinded = JsonSerializer.Deserialize<PolicyRescinded>(Stored, PolicyJson.Options)!;

        Assert.Null(rescinded.Confidence);
        Assert.Null(rescinded.PublicKnowledgeOn);
    }

    [Fact]
    public void ConfidenceReadsAndWritesItsJsonForm()
    {
        const string Text = """{"level":"secondary","fields":{"effectiveAt":"unverified","publishedOn":"verified"}}""";

        var confidence = JsonSerializer.Deserialize<Confidence>(Text, PolicyJson.Options)!;

        Assert.Equal(ConfidenceLevel.Unverified, confidence.Of("effectiveAt"));
        Assert.Equal(ConfidenceLevel.Secondary, confidence.Of("title"));
        Assert.Equal(Text, JsonSerializer.Serialize(confidence, PolicyJson.Options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Confidence>("""{"level":"certain"}""", PolicyJson.Options));
    }

    [Fact]
    public void GivenIssuedPolicy_WhenAmendedWithAPublicationDate_ThenTheAmendmentKeepsIt() =>
        Given(Issue("us-bis-1", "2025-01-16"))
            .When(new AmendPolicy("us-bis-1", "2025-02-11", Provisions(("x", 1)), null, PublishedOn: "2025-02-14"))
            .Then(new PolicyAmended("us-bis-1", At.Utc("2025-02-11T05:00:00Z"), Provisions(("x", 1)), default, PublishedOn: new DateOnly(2025, 2, 14)));

    [Fact]
    public void GivenIssuedPolicy_WhenRescindedWithConfidence_ThenTheRescissionKeepsIt() =>
        Given(Issue("us-eo-1", "2025-01-01"))
            .When(new RescindPolicy("us-eo-1", "2025-02-01", Confidence: Secondary))
            .Then(new PolicyRescinded("us-eo-1", At.Utc("2025-02-01T05:00:00Z"), Confidence: Secondary));

    [Fact]
    public void GivenAnUnverifiedIssue_WhenItsConfidenceIsCorrected_ThenTheCorrectionIsAccepted()
    {
        var spec = Given(Issue("us-eo-1", "2025-01-20") with { Confidence = new Confidence(ConfidenceLevel.Unverified) });

        spec.When(Correct("us-eo-1", spec.EventId("us-eo-1", 1), """{"confidence": {"level": "verified"}}"""));

        var corrected = Assert.IsType<PolicyCorrected>(Assert.Single(spec.Decision.Events).Data);
        Assert.Equal("""{"confidence":{"level":"verified"}}""", corrected.Changes.ToString());
    }

    [Fact]
    public void GivenAnIssue_WhenACorrectionGivesAConfidenceOfAFieldItDoesNotHave_ThenRejectedAsInvalid()
    {
        var spec = Given(Issue("us-eo-1", "2025-01-20"));

        spec.When(Correct("us-eo-1", spec.EventId("us-eo-1", 1), """{"confidence": {"fields": {"nope": "verified"}}}"""))
            .ThenRejected(RejectionKind.Invalid);
    }
}
