using Microsoft.Playwright;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Page;

/// <summary>The instrument panel: state on the cursor day, citation and source, relations, versions and both clocks.</summary>
public sealed class InstrumentPanelTests(PageApp app, ChromiumBrowser chromium) : PageTest(app, chromium)
{
    [Fact]
    public async Task OpeningEo14110ShowsItsHistoryOnBothClocksAndThatEo14148RescindedIt()
    {
        var history = await Api.GetJsonAsync("/api/policies/us-eo-14110/history");
        var timeline = await Api.GetJsonAsync("/api/policies/us-eo-14110/timeline");
        var state = await Api.StateAsync("us-eo-14110", "2025-01-21");

        await OpenAsync("at=2025-01-21");
        await Page.Locator(".row-label[data-policy-id='us-eo-14110']").ClickAsync();

        var panel = Page.Locator("#panel[data-policy-id='us-eo-14110']");
        await Assertions.Expect(panel).ToBeVisibleAsync();
        await Assertions.Expect(panel.Locator("h2")).ToBeFocusedAsync();
        await Assertions.Expect(panel.Locator(".badge[data-status]").First).ToHaveAttributeAsync("data-status", "rescinded");
        await Assertions.Expect(panel.Locator("[data-relation='rescinded-by'] button")).ToHaveTextAsync("us-eo-14148");
        await Assertions.Expect(panel.Locator(".facts").First).ToContainTextAsync(state.Text("citation"));
        await Assertions.Expect(panel.Locator($"a[href='{state.Text("sourceUrl")}']")).ToHaveCountAsync(1);

        var events = history.GetProperty("events").EnumerateArray().ToList();
        await Assertions.Expect(panel.Locator("table.history tbody tr")).ToHaveCountAsync(events.Count);
        foreach (var type in events.Select(e => e.Text("type")).Distinct())
        {
            await Assertions.Expect(panel.Locator($"table.history tr[data-event-type='{type}']").First).ToBeVisibleAsync();
        }

        await Assertions.Expect(panel.Locator("table.versions tbody tr")).ToHaveCountAsync(timeline.GetProperty("versions").GetArrayLength());
        await Screenshots.SaveAsync(Page, "instrument-panel");

        // The relation leads to the other instrument, which names what it rescinds.
        await panel.Locator("[data-relation='rescinded-by'] button").ClickAsync();
        var rescinding = Page.Locator("#panel[data-policy-id='us-eo-14148']");
        await Assertions.Expect(rescinding.Locator("[data-relation='rescinds']")).ToContainTextAsync("us-eo-14110");

        await Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(Page.Locator("#panel")).ToBeHiddenAsync();
        AssertNoConsoleErrors();
    }

    [Fact]
    public async Task AnAmendedRuleNamesTheRulesThatAmendedItAndEachOfThoseNamesWhatItAmends()
    {
        const string Amended = "us-bis-2022-10-07-advanced-computing";
        var amenders = (await Api.StateAsync(Amended, "2025-06-01")).GetProperty("amendedBy").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.NotEmpty(amenders); // the dataset records the October 2023 and December 2024 rules as amending it

        await OpenAsync("at=2025-06-01");
        await Page.Locator($".row-label[data-policy-id='{Amended}']").ClickAsync();

        var panel = Page.Locator($"#panel[data-policy-id='{Amended}']");
        await Assertions.Expect(panel.Locator("[data-relation='amended-by'] button")).ToHaveTextAsync([.. amenders]);

        await panel.Locator("[data-relation='amended-by'] button").First.ClickAsync();
        var amending = Page.Locator($"#panel[data-policy-id='{amenders[0]}']");
        await Assertions.Expect(amending.Locator("[data-relation='amends']")).ToContainTextAsync(Amended);
        AssertNoConsoleErrors();
    }
}
