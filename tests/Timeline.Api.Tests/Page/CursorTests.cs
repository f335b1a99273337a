using Microsoft.Playwright;

namespace Timeline.Api.Tests.Page;

/// <summary>The date cursor: typed, dragged or moved with the keys, it lists what is in force on its day.</summary>
public sealed class CursorTests(PageApp app, ChromiumBrowser chromium) : PageTest(app, chromium)
{
    [Fact]
    public async Task MovingTheCursorFromJanuary19To21_2025ShowsEo14110GoneAndEo14148InForce()
    {
        await OpenAsync();

        await Page.Locator("#at").FillAsync("2025-01-19");
        var before = await InForceListAsync("2025-01-19");
        await Assertions.Expect(Item(before, "us-eo-14110")).ToHaveCountAsync(1);
        await Assertions.Expect(Item(before, "us-eo-14148")).ToHaveCountAsync(0);

        // Two days on with the cursor's own keys.
        await Page.Locator("#cursor").FocusAsync();
        await Page.Keyboard.PressAsync("ArrowRight");
        await Page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(Page.Locator("#at")).ToHaveValueAsync("2025-01-21");
        var after = await InForceListAsync("2025-01-21");
        await Assertions.Expect(Item(after, "us-eo-14110")).ToHaveCountAsync(0);
        await Assertions.Expect(Item(after, "us-eo-14148")).ToHaveCountAsync(1);
        await Assertions.Expect(Item(after, "us-eo-14148").Locator(".provisions li").First).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("#cursor")).ToHaveAttributeAsync("aria-valuetext", "2025-01-21");
        await Screenshots.SaveAsync(Page, "cursor-2025-01-21");
        AssertNoConsoleErrors();
    }

    [Fact]
    public async Task DraggingTheCursorToTheLeftMovesItsDayEarlierAndTheListFollows()
    {
        await OpenAsync("at=2025-01-21");
        await InForceListAsync("2025-01-21");
        var handle = Page.Locator("#cursor");
        var box = (await handle.BoundingBoxAsync())!;

        await Page.Mouse.MoveAsync(box.X + (box.Width / 2), box.Y + 10);
        await Page.Mouse.DownAsync();
        await Page.Mouse.MoveAsync(box.X - 150, box.Y + 10, new MouseMoveOptions { Steps = 5 });
        await Page.Mouse.UpAsync();

        var day = await Page.Locator("#at").InputValueAsync();
        Assert.True(string.CompareOrdinal(day, "2025-01-21") < 0, $"the cursor moved to {day}, not earlier than 2025-01-21");
        var list = await InForceListAsync(day);
        await Assertions.Expect(list.Locator("li.in-force-item").First).ToBeVisibleAsync();
        AssertNoConsoleErrors();
    }
}
