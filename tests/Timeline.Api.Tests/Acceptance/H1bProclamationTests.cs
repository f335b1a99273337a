using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Acceptance;

/// <summary>
/// The H-1B proclamation, from policy-facts.md section 12: the payment to the minute, the next-day
/// clarification and the later USCIS guidance, the court history (upheld, vacated, stayed) and the expiry.
/// </summary>
public sealed class H1bProclamationTests(DatasetApp app) : AcceptanceTest(app)
{
    private const string Proclamation = "us-proclamation-10973";

    [Fact]
    public async Task At11_59PmEdtOnSeptember20NoPaymentIsDue()
    {
        var policy = await PolicyAsync(Proclamation, "2025-09-20T23:59:00-04:00");

        Assert.Equal("pending", policy.Status());
    }

    [Fact]
    public async Task At12_01AmEdtOnSeptember21TheHundredThousandDollarPaymentApplies()
    {
        var policy = await PolicyAsync(Proclamation, "2025-09-21T00:01:00-04:00");

        Assert.Equal("in-force", policy.Status());
        Assert.Equal(100000, policy.Provision("h1b.new-petition-payment-usd").GetInt32());
        Assert.Equal("2025-09-21T04:01:00Z", policy.Text("effectiveAt"));
    }

    [Fact]
    public async Task TheProclamationWasSignedSeptember19AndPublishedSeptember24AfterItTookEffect()
    {
        var policy = await PolicyAsync(Proclamation, "2025-09-22");

        Assert.Equal("2025-09-19", policy.Text("signedOn"));
        Assert.Equal("2025-09-24", policy.Text("publishedOn"));
        Assert.Contains("FR Doc. 2025-18601", policy.Text("citation"), StringComparison.Ordinal);
        Assert.Contains("Proclamation 10973", policy.Text("citation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNextDayClarificationMakesItAOneTimePaymentForNewPetitionsOnly()
    {
        var policy = await PolicyAsync(Proclamation, "2025-09-21T00:01:00-04:00");

        Assert.Contains("one-time", policy.Provision("h1b.payment-frequency").GetString(), StringComparison.Ordinal);
        Assert.Contains("renewals", policy.Provision("h1b.does-not-apply-to").EnumerateArray().Select(item => item.GetString()));

        var history = await Api.GetJsonAsync($"/api/policies/{Proclamation}/history");
        var clarification = history.GetProperty("events").EnumerateArray()
            .First(e => e.Text("type") == "amended" && e.GetProperty("data").GetProperty("set").TryGetProperty("h1b.payment-frequency", out _));
        Assert.Equal("2025-09-20", clarification.GetProperty("data").Text("publicKnowledgeOn"));
    }

    [Fact]
    public async Task TheUscisGuidanceOfOctober20ChangedThePracticalScopeAfterTheEffectiveTime()
    {
        Assert.False((await PolicyAsync(Proclamation, "2025-10-19")).HasProvision("h1b.exceptions-standard"));
        var guided = await PolicyAsync(Proclamation, "2025-10-20");

        Assert.Contains("extraordinarily rare", guided.Provision("h1b.exceptions-standard").GetString(), StringComparison.Ordinal);
        Assert.Contains(
            guided.Provision("h1b.does-not-apply-to").EnumerateArray().Select(item => item.GetString()!),
            item => item.Contains("F-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheDistrictOfColumbiaRulingOfDecember23UpheldItSoTheFeeStayedInForce()
    {
        var policy = await PolicyAsync(Proclamation, "2025-12-24");

        Assert.Equal("in-force", policy.Status());
        var chamber = policy.Provision("litigation.chamber-of-commerce-v-dhs");
        Assert.Equal("D.D.C.", chamber.GetProperty("court").GetString());
        Assert.Contains("summary judgment for the government", chamber.GetProperty("status").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMassachusettsVacaturOfJune8_2026SuspendsIt()
    {
        Assert.Equal("in-force", (await PolicyAsync(Proclamation, "2026-06-07")).Status());
        var vacated = await PolicyAsync(Proclamation, "2026-06-08");

        Assert.Equal("suspended", vacated.Status());
        Assert.Contains("unauthorized tax", vacated.Text("suspensionReason"), StringComparison.Ordinal);
        Assert.Equal("suspended", (await PolicyAsync(Proclamation, "2026-06-11")).Status());
    }

    [Fact]
    public async Task TheAdministrativeStayOfJune12_2026PutsTheFeeBackInEffect()
    {
        var stayed = await PolicyAsync(Proclamation, "2026-06-12");

        Assert.Equal("in-force", stayed.Status());
        Assert.Equal(100000, stayed.Provision("h1b.new-petition-payment-usd").GetInt32());
    }

    [Fact]
    public async Task ItIsInForceUntil12_01AmEdtOnSeptember21_2026AndTheExpiryIsMarkedUnverified()
    {
        Assert.Equal("in-force", (await PolicyAsync(Proclamation, "2026-09-21T00:00:59-04:00")).Status());
        var expired = await PolicyAsync(Proclamation, "2026-09-21T00:01:00-04:00");

        Assert.Equal("expired", expired.Status());
        Assert.Equal("2026-09-21T04:01:00Z", expired.Text("expiresAt"));
        // Whether it was extended is not found in any source: the answer after the expiry is not a known fact.
        Assert.Equal("unverified", expired.GetProperty("confidence").GetProperty("fields").Text("expiresAt"));
    }
}
