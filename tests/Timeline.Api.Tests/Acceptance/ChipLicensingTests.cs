using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Acceptance;

/// <summary>
/// Chip licensing to China outside the big rules, from policy-facts.md sections 5 and 6: policy made by
/// a notification, a deal and a post is recorded as what it is; the H20 requirement was known publicly
/// only six days after it applied; the January 2026 rule and the tariff take effect to the minute.
/// </summary>
public sealed class ChipLicensingTests(DatasetApp app) : AcceptanceTest(app)
{
    private const string H20 = "us-2025-04-09-h20-license-requirement";

    [Fact]
    public async Task TheH20LicenseRequirementAppliesFromApril9AndIsALicensePolicyNotARule()
    {
        Assert.Equal("pending", (await PolicyAsync(H20, "2025-04-08")).Status());
        var inForce = await PolicyAsync(H20, "2025-04-09");

        Assert.Equal("in-force", inForce.Status());
        Assert.Equal("license-policy", inForce.Text("kind"));
        Assert.Contains("8-K", inForce.Text("citation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheH20RequirementBecamePublicOnApril15SixDaysAfterItApplied()
    {
        var policy = await PolicyAsync(H20, "2025-04-10");

        Assert.Equal("2025-04-15", policy.Text("publicKnowledgeOn"));
        Assert.Equal("2025-04-09T04:00:00Z", policy.Text("effectiveAt"));
        var issued = (await Api.GetJsonAsync($"/api/policies/{H20}/history")).GetProperty("events")[0];
        Assert.Equal("2025-04-15", issued.GetProperty("data").Text("publicKnowledgeOn"));
    }

    [Fact]
    public async Task TheH20ReversalWasALicensingChangeTheRequirementItselfStayed()
    {
        Assert.False((await PolicyAsync(H20, "2025-07-13")).HasProvision("licensing.outlook"));
        var afterReversal = await PolicyAsync(H20, "2025-08-12");

        Assert.Equal("in-force", afterReversal.Status());
        Assert.True(afterReversal.HasProvision("licensing.outlook"));
        Assert.Contains("Nvidia H20", afterReversal.Provision("license-required.items").EnumerateArray().Select(item => item.GetString()));
    }

    [Fact]
    public async Task TheFifteenPercentRevenueShareHasNoLegalInstrument()
    {
        var deal = await PolicyAsync("us-2025-08-10-h20-mi308-revenue-share", "2025-08-12");

        Assert.Equal("other", deal.Text("kind"));
        Assert.Equal(15, deal.Provision("revenue-share-percent").GetInt32());
        Assert.Contains("no published legal instrument", deal.Text("citation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheH200AnnouncementWasAPostAndTheRuleTookEffectOnJanuary15_2026()
    {
        var post = await PolicyAsync("us-2025-12-08-h200-announcement", "2025-12-08");
        Assert.Equal("other", post.Text("kind"));
        Assert.Equal(25, post.Provision("payment-to-united-states-percent").GetInt32());

        const string Rule = "us-bis-2026-01-15-advanced-computing-license-review";
        Assert.Equal("pending", (await PolicyAsync(Rule, "2026-01-14")).Status());
        var inForce = await PolicyAsync(Rule, "2026-01-15");
        Assert.Equal("in-force", inForce.Status());
        Assert.Equal("case-by-case", inForce.Provision("license-review-policy.exports-from-us-to-cn-mo").GetString());
        Assert.True(inForce.Provision("license-required").GetBoolean());
        Assert.Contains("FR Doc. 2026-00789", inForce.Text("citation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheChipTariffAppliesFrom12_01AmEstOnJanuary15_2026()
    {
        const string Tariff = "us-proclamation-11002";
        Assert.Equal("pending", (await PolicyAsync(Tariff, "2026-01-15T00:00:59-05:00")).Status());
        var inForce = await PolicyAsync(Tariff, "2026-01-15T00:01:00-05:00");

        Assert.Equal("in-force", inForce.Status());
        Assert.Equal("2026-01-15T05:01:00Z", inForce.Text("effectiveAt"));
        Assert.Equal(25, inForce.Provision("duty.ad-valorem-percent").GetInt32());
    }
}
