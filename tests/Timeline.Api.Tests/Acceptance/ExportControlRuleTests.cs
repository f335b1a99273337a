using System.Text.Json;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Acceptance;

/// <summary>
/// The BIS advanced-computing rules, written from ../shared/data/policy-facts.md sections 1-4: the day before and
/// the day of each verified effective date, rules effective before their publication, staged effectiveness, and
/// the AI Diffusion rule's non-enforcement.
/// </summary>
public sealed class ExportControlRuleTests(DatasetApp app) : AcceptanceTest(app)
{
    private const string October2022 = "us-bis-2022-10-07-advanced-computing";
    private const string October2023 = "us-bis-2023-10-17-advanced-computing";
    private const string December2024 = "us-bis-2024-12-02-advanced-computing-fdp";
    private const string Diffusion = "us-bis-2025-01-13-ai-diffusion";

    [Fact]
    public async Task TheOctober2022RuleIsPendingOnOctober6AndInForceOnOctober7()
    {
        Assert.Equal("pending", (await PolicyAsync(October2022, "2022-10-06")).Status());
        var inForce = await PolicyAsync(October2022, "2022-10-07");
        Assert.Equal("in-force", inForce.Status());
        Assert.Equal("2022-10-07T04:00:00Z", inForce.Text("effectiveAt"));
        Assert.Contains("FR Doc. 2022-21658", inForce.Text("citation"), StringComparison.Ordinal);
        Assert.Contains("87 FR 62186", inForce.Text("citation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOctober2022RuleWasInForceBeforeItsPublicationOnOctober13()
    {
        var beforePublication = await PolicyAsync(October2022, "2022-10-10");

        Assert.Equal("in-force", beforePublication.Status());
        Assert.Equal("2022-10-13", beforePublication.Text("publishedOn"));
        Assert.Equal("2022-10-07", beforePublication.Text("publicKnowledgeOn"));
    }

    [Fact]
    public async Task The3A090ThresholdBeforeNovember17_2023IsInterconnect600AndTpp4800Together()
    {
        var policy = await PolicyAsync(October2022, "2023-11-16");

        var parameters = policy.Provision("eccn-3a090.control-parameters");
        Assert.Equal(600, parameters.GetProperty("interconnect-gb-per-s-min").GetInt32());
        Assert.Equal(4800, parameters.GetProperty("tpp-min").GetInt32());
        Assert.False(policy.HasProvision("eccn-3a090.a"));
    }

    [Fact]
    public async Task FromNovember17_2023InterconnectIsNoLongerAParameterAndPerformanceDensityIs()
    {
        var policy = await PolicyAsync(October2022, "2023-11-17");

        Assert.False(policy.HasProvision("eccn-3a090.control-parameters"));
        var routes = policy.Provision("eccn-3a090.a").GetProperty("any-of").EnumerateArray().ToList();
        Assert.Contains(routes, route => route.GetProperty("tpp-min").GetInt32() == 4800 && !route.TryGetProperty("performance-density-min", out _));
        Assert.Contains(routes, route => route.GetProperty("tpp-min").GetInt32() == 1600 && route.GetProperty("performance-density-min").GetDecimal() == 5.92m);
    }

    [Fact]
    public async Task TheOctober2023RuleTakesEffectOnNovember17NotNovember16()
    {
        Assert.Equal("pending", (await PolicyAsync(October2023, "2023-11-16")).Status());
        var inForce = await PolicyAsync(October2023, "2023-11-17");
        Assert.Equal("in-force", inForce.Status());
        Assert.Equal("2023-10-25", inForce.Text("publishedOn"));
        Assert.Contains("FR Doc. 2023-23055", inForce.Text("citation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDecember2024RuleIsInForceFromDecember2BeforeItsPublicationOnDecember5()
    {
        Assert.Equal("pending", (await PolicyAsync(December2024, "2024-12-01")).Status());
        var beforePublication = await PolicyAsync(December2024, "2024-12-03");
        Assert.Equal("in-force", beforePublication.Status());
        Assert.Equal("2024-12-05", beforePublication.Text("publishedOn"));
        Assert.Contains("FR Doc. 2024-28270", beforePublication.Text("citation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDecember2024RuleRequiresComplianceWithMostProvisionsFromDecember31()
    {
        Assert.False((await PolicyAsync(December2024, "2024-12-30")).Provision("compliance.most-provisions-required").GetBoolean());
        Assert.True((await PolicyAsync(December2024, "2024-12-31")).Provision("compliance.most-provisions-required").GetBoolean());
    }

    [Fact]
    public async Task HighBandwidthMemoryJoins3A090OnDecember2_2024()
    {
        Assert.False((await PolicyAsync(October2022, "2024-12-01")).HasProvision("eccn-3a090.c"));
        var hbm = (await PolicyAsync(October2022, "2024-12-02")).Provision("eccn-3a090.c");
        Assert.Equal(2, hbm.GetProperty("memory-bandwidth-density-gb-per-s-per-mm2-above").GetInt32());
    }

    [Fact]
    public async Task TheAiDiffusionRuleIsInForceFromJanuary13BeforeItsPublicationOnJanuary15()
    {
        Assert.Equal("pending", (await PolicyAsync(Diffusion, "2025-01-12")).Status());
        var inForce = await PolicyAsync(Diffusion, "2025-01-13");
        Assert.Equal("in-force", inForce.Status());
        Assert.Equal("2025-01-15", inForce.Text("publishedOn"));
        Assert.Equal("2025-01-10", inForce.Text("publicKnowledgeOn"));
        Assert.Contains("FR Doc. 2025-00636", inForce.Text("citation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAiDiffusionRuleIsNotEnforcedFromMay13_2025ByAPressReleaseNotARule()
    {
        Assert.Equal("in-force", (await PolicyAsync(Diffusion, "2025-05-12")).Status());
        var suspended = await PolicyAsync(Diffusion, "2025-05-13");
        Assert.Equal("suspended", suspended.Status());
        Assert.Contains("press release", suspended.Text("suspensionReason"), StringComparison.Ordinal);

        var nonEnforcement = await PolicyAsync("us-bis-2025-05-13-ai-diffusion-non-enforcement", "2025-05-13");
        Assert.NotEqual("rule", nonEnforcement.Text("kind"));
        Assert.Contains("press release", nonEnforcement.Text("citation"), StringComparison.Ordinal);
        Assert.Contains("not a Federal Register rule", nonEnforcement.Text("citation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAiDiffusionRuleStaysUnenforcedPastItsMay15ComplianceDateAndIsNeverRescindedInTheRecord()
    {
        var afterComplianceDate = await PolicyAsync(Diffusion, "2025-05-16");
        Assert.Equal("suspended", afterComplianceDate.Status());

        var today = await PolicyAsync(Diffusion, "2026-11-29");
        Assert.Equal("suspended", today.Status());
        Assert.Equal(JsonValueKind.Null, today.GetProperty("rescindedBy").ValueKind);
    }

    [Fact]
    public async Task GaoHeldTheNonEnforcementPolicyARuleOnMay12_2026()
    {
        Assert.False((await PolicyAsync("us-bis-2025-05-13-ai-diffusion-non-enforcement", "2026-05-11")).HasProvision("gao-decision.b-337935"));
        Assert.True((await PolicyAsync("us-bis-2025-05-13-ai-diffusion-non-enforcement", "2026-05-12")).HasProvision("gao-decision.b-337935"));
    }

    [Fact]
    public async Task TheFebruary2025CorrectionTakesEffectOnFebruary11BeforeItsPublicationOnFebruary14()
    {
        const string Companion = "us-bis-2025-01-16-foundry-due-diligence";
        Assert.False((await PolicyAsync(Companion, "2025-02-10")).HasProvision("correcting-amendment.2025-02655"));
        Assert.True((await PolicyAsync(Companion, "2025-02-11")).HasProvision("correcting-amendment.2025-02655"));

        var history = await Api.GetJsonAsync($"/api/policies/{Companion}/history");
        var correction = history.GetProperty("events").EnumerateArray().Single(e => e.Text("type") == "amended");
        Assert.Equal("2025-02-11T05:00:00Z", correction.Text("effectiveAt"));
        Assert.Equal("2025-02-14", correction.GetProperty("data").Text("publishedOn"));
        Assert.Contains("FR Doc. 2025-02655", correction.GetProperty("data").Text("citation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InForceOnJune1_2024TheExportRulesAreThe2022And2023OnesNotYetTheAiDiffusionRule()
    {
        var list = await Api.GetJsonAsync("/api/policies?at=2024-06-01&topic=export-controls");
        var ids = list.GetProperty("items").EnumerateArray().Select(item => item.Text("id")).ToList();

        Assert.Contains(October2022, ids);
        Assert.Contains(October2023, ids);
        Assert.DoesNotContain(Diffusion, ids);
        Assert.DoesNotContain(December2024, ids);
    }
}
