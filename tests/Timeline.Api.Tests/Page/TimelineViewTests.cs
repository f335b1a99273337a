using Microsoft.Playwright;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Page;

/// <summary>The page at /: every instrument the service knows, one row each, grouped by topic, zoomable, all served locally.</summary>
public sealed class TimelineViewTests(PageApp app, ChromiumBrowser chromium) : PageTest(app, chromium)
{
    [Fact]
    public async Task ThePageShowsEveryKnownInstrumentAsARowGroupedByItsTopicWithAColourLegend()
    {
        var known = await Api.GetJsonAsync("/api/policies?status=any&limit=1000");
        var instruments = known.GetProperty("items").EnumerateArray()
            .Select(item => (Id: item.Text("id"), Topic: item.GetProperty("topics")[0].GetString()!))
            .ToList();
        Assert.NotEmpty(instruments);

        await OpenAsync("at=2025-01-21");

        await Assertions.Expect(Page.Locator(".row")).ToHaveCountAsync(instruments.Count);
        foreach (var (id, topic) in instruments)
        {
            await Assertions.Expect(Page.Locator($".group[data-topic='{topic}'] .row[data-policy-id='{id}'] .bar").First).ToBeAttachedAsync();
        }

        Assert.Equal(
            ["pending", "in force", "suspended", "rescinded", "superseded", "expired"],
            (await Page.Locator("#legend li").AllInnerTextsAsync()).Take(6).Select(text => text.Trim()));
        await Screenshots.SaveAsync(Page, "timeline");

        // Nothing from a CDN: every request went to the service itself.
        Assert.All(Requests(), url => Assert.StartsWith(App.Address!.ToString(), url, StringComparison.Ordinal));
        AssertNoConsoleErrors();
    }

    [Fact]
    public async Task ZoomingInWithTheKeyboardAndTheButtonsGoesFromYearsToDaysAndBack()
    {
        await OpenAsync("at=2025-01-21");
        var ticks = Page.Locator(".axis .tick");
        Assert.All(await ticks.AllInnerTextsAsync(), label => Assert.Matches(@"^\d{4}$", label));

        await Page.Locator("#timeline").FocusAsync();
        for (var i = 0; i < 6; i++)
        {
            await Page.Keyboard.PressAsync("+");
        }

        await Assertions.Expect(ticks.First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}-\d{2}-\d{2}$"));

        await Page.Locator("#zoom-fit").ClickAsync();
        await Assertions.Expect(ticks.First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}$"));
        await Page.Locator("#zoom-in").ClickAsync();
        await Page.Locator("#zoom-in").ClickAsync();
        await Page.Locator("#zoom-in").ClickAsync();
        await Assertions.Expect(ticks.First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[A-Z][a-z]{2} \d{4}$"));
        AssertNoConsoleErrors();
    }
}
