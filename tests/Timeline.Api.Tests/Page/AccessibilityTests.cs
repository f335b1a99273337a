using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Timeline.Api.Tests.Page;

/// <summary>
/// axe-core's WCAG 2.1 A and AA rules (contrast, names, roles, labels) on the main views, and keyboard use:
/// every control is reached with Tab, and the focused one is visibly outlined.
/// </summary>
public sealed class AccessibilityTests(PageApp app, ChromiumBrowser chromium) : PageTest(app, chromium)
{
    private static readonly AxeRunOptions WcagAa = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    [Fact]
    public async Task TheTimelineThePanelAndTheDiffPassAxesWcagAaRules()
    {
        await OpenAsync("at=2025-01-21&id=us-eo-14110");
        await Assertions.Expect(Page.Locator("#panel[data-policy-id='us-eo-14110'] table.history")).ToBeVisibleAsync();
        await InForceListAsync("2025-01-21");
        await Page.Locator("#diff-run").ClickAsync();
        await Assertions.Expect(Page.Locator("#diff-output .diff-group").First).ToBeVisibleAsync();

        var result = await Page.RunAxe(WcagAa);

        Assert.True(
            result.Violations.Length == 0,
            "axe found WCAG AA violations:\n" + string.Join('\n', result.Violations.Select(v =>
                $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target.ToString()))}")));
        AssertNoConsoleErrors();
    }

    [Fact]
    public async Task TabReachesTheCursorAndTheFocusedControlHasAVisibleOutline()
    {
        await OpenAsync("at=2025-01-21");
        for (var i = 0; i < 80 && !await Page.Locator("#cursor").EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await Page.Keyboard.PressAsync("Tab");
        }

        await Assertions.Expect(Page.Locator("#cursor")).ToBeFocusedAsync();
        // The cursor is a line: its handle carries the outline.
        var outline = await Page.Locator("#cursor").EvaluateAsync<string>("e => getComputedStyle(e, '::before').outlineStyle + ' ' + getComputedStyle(e, '::before').outlineWidth");
        Assert.Equal("solid 3px", outline);
        await Page.Keyboard.PressAsync("Shift+Tab");
        var previous = await Page.EvaluateAsync<string>("() => { const e = document.activeElement; return getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth; }");
        Assert.Equal("solid 3px", previous);
        AssertNoConsoleErrors();
    }
}
