using Microsoft.Playwright;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Page;

/// <summary>The diff view: what came into force and left force between two days, as the diff endpoint says.</summary>
public sealed class DiffViewTests(PageApp app, ChromiumBrowser chromium) : PageTest(app, chromium)
{
    [Fact]
    public async Task ComparingJanuary19And21_2025ListsEo14110AsLeftForceAndEo14148AsCameIntoForce()
    {
        var diff = await Api.GetJsonAsync("/api/diff?from=2025-01-19&to=2025-01-21");

        await OpenAsync("at=2025-01-21");
        await Page.Locator("#diff-from").FillAsync("2025-01-19");
        await Page.Locator("#diff-to").FillAsync("2025-01-21");
        await Page.Locator("#diff-run").ClickAsync();

        var left = Page.Locator("#diff-output [data-group='left-force'] > ul > li");
        var came = Page.Locator("#diff-output [data-group='came-into-force'] > ul > li");
        await Assertions.Expect(left).ToHaveCountAsync(diff.GetProperty("leftForce").GetArrayLength());
        await Assertions.Expect(came).ToHaveCountAsync(diff.GetProperty("cameIntoForce").GetArrayLength());
        await Assertions.Expect(Page.Locator("#diff-output [data-group='left-force'] li[data-policy-id='us-eo-14110']")).ToHaveCountAsync(1);
        await Assertions.Expect(Page.Locator("#diff-output [data-group='came-into-force'] li[data-policy-id='us-eo-14148']")).ToHaveCountAsync(1);
        await Page.Locator("#diff-section").ScrollIntoViewIfNeededAsync();
        await Screenshots.SaveAsync(Page, "diff");
        AssertNoConsoleErrors();
    }
}
