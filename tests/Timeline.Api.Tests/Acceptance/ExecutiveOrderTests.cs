using System.Text.Json;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Acceptance;

/// <summary>
/// Executive orders and AI governance, from policy-facts.md sections 7-11: EO 14110 and what revoked it
/// (EO 14148, not EO 14179), EO 14141 and its revocation, the AI Action Plan orders, the voluntary
/// commitments and the AI Safety Institute's renaming.
/// </summary>
public sealed class ExecutiveOrderTests(DatasetApp app) : AcceptanceTest(app)
{
    [Fact]
    public async Task Eo14110IsInForceOnJanuary19_2025AndRescindedByEo14148OnJanuary21()
    {
        var before = await PolicyAsync("us-eo-14110", "2025-01-19");
        Assert.Equal("in-force", before.Status());

        var after = await PolicyAsync("us-eo-14110", "2025-01-21");
        Assert.Equal("rescinded", after.Status());
        Assert.Equal("us-eo-14148", after.Text("rescindedBy"));
    }

    [Fact]
    public async Task Eo14110WasRevokedByEo14148OnTheDayItWasSigned()
    {
        Assert.Equal("rescinded", (await PolicyAsync("us-eo-14110", "2025-01-20")).Status());
        var revoking = await PolicyAsync("us-eo-14148", "2025-01-20");
        Assert.Equal("2025-01-20", revoking.Text("signedOn"));
        Assert.Equal("2025-01-28", revoking.Text("publishedOn"));
    }

    [Fact]
    public async Task Eo14179DidNotRevokeEo14110()
    {
        var history = await Api.GetJsonAsync("/api/policies/us-eo-14110/history");
        var rescission = history.GetProperty("events").EnumerateArray().Single(e => e.Text("type") == "rescinded");

        Assert.Equal("us-eo-14148", rescission.GetProperty("data").Text("byPolicyId"));
        var eo14179 = await PolicyAsync("us-eo-14179", "2025-01-23");
        Assert.Equal("in-force", eo14179.Status());
        Assert.Contains("FR Doc. 2025-02172", eo14179.Text("citation"), StringComparison.Ordinal);
        Assert.Equal("2025-01-31", eo14179.Text("publishedOn"));
    }

    [Fact]
    public async Task Eo14110TookEffectOnSigningOctober30_2023()
    {
        Assert.Equal("pending", (await PolicyAsync("us-eo-14110", "2023-10-29")).Status());
        var inForce = await PolicyAsync("us-eo-14110", "2023-10-30");
        Assert.Equal("in-force", inForce.Status());
        Assert.Equal("2023-10-30", inForce.Text("signedOn"));
        Assert.Contains("FR Doc. 2023-24283", inForce.Text("citation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eo14141IsRevokedByEo14318OnJuly23_2025()
    {
        Assert.Equal("in-force", (await PolicyAsync("us-eo-14141", "2025-07-22")).Status());
        var revoked = await PolicyAsync("us-eo-14141", "2025-07-23");
        Assert.Equal("rescinded", revoked.Status());
        Assert.Equal("us-eo-14318", revoked.Text("rescindedBy"));
    }

    [Fact]
    public async Task OnJuly23_2025TheThreeActionPlanOrdersAreInForceAndThePlanItselfIsNotAnOrder()
    {
        var list = await Api.GetJsonAsync("/api/policies?at=2025-07-23&topic=ai");
        var items = list.GetProperty("items").EnumerateArray().ToDictionary(item => item.Text("id"), item => item.Text("kind"));

        Assert.Equal("executive-order", items["us-eo-14318"]);
        Assert.Equal("executive-order", items["us-eo-14319"]);
        Assert.Equal("executive-order", items["us-eo-14320"]);
        Assert.Equal("other", items["us-white-house-2025-07-23-ai-action-plan"]);
        Assert.DoesNotContain("us-eo-14141", items.Keys);
        Assert.DoesNotContain("us-eo-14110", items.Keys);
    }

    [Fact]
    public async Task TheVoluntaryCommitmentsAreNotALegalInstrumentAndNameSevenCompanies()
    {
        var commitments = await PolicyAsync("us-white-house-2023-07-21-voluntary-ai-commitments", "2023-07-21");

        Assert.Equal("in-force", commitments.Status());
        Assert.Equal("other", commitments.Text("kind"));
        Assert.False(commitments.Provision("binding").GetBoolean());
        Assert.Equal(
            ["Amazon", "Anthropic", "Google", "Inflection", "Meta", "Microsoft", "OpenAI"],
            commitments.Provision("companies").EnumerateArray().Select(company => company.GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheAiSafetyInstituteIsSupersededByCaisiOnJune3_2025()
    {
        Assert.Equal("in-force", (await PolicyAsync("us-nist-ai-safety-institute", "2025-06-02")).Status());
        var renamed = await PolicyAsync("us-nist-ai-safety-institute", "2025-06-03");
        Assert.Equal("superseded", renamed.Status());
        Assert.Equal("us-nist-caisi", renamed.Text("supersededBy"));
        Assert.Equal(JsonValueKind.Null, renamed.GetProperty("rescindedBy").ValueKind);
    }
}
