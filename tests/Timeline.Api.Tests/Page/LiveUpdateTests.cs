using Microsoft.Playwright;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Page;

/// <summary>Live updates: a change written through the API shows on the open page without a reload.</summary>
public sealed class LiveUpdateTests(PageApp app, ChromiumBrowser chromium) : PageTest(app, chromium)
{
    [Fact]
    public async Task AnInstrumentIssuedAndRescindedThroughTheApiAppearsOnTheOpenPageWithoutAReload()
    {
        await OpenAsync("at=2025-01-21");
        await Assertions.Expect(Page.Locator("#live-status[data-state='live']")).ToHaveCountAsync(1);
        // A reload would lose this.
        await Page.EvaluateAsync("() => { window.timelineTestMarker = 'still here'; }");

        var id = $"test-page-live-{Guid.NewGuid():N}"[..26];
        await App.Writer.WriteAsync("/api/policies", Scenarios.Issue(id, "2024-06-01", ("topics", new[] { PageApp.TestTopic })));

        await Assertions.Expect(Page.Locator($"#live-feed li[data-policy-id='{id}']")).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator($".group[data-topic='{PageApp.TestTopic}'] .row[data-policy-id='{id}'] .bar.status-in-force")).ToHaveCountAsync(1);
        await Assertions.Expect(Item(await InForceListAsync("2025-01-21"), id)).ToHaveCountAsync(1);

        await App.Writer.WriteAsync($"/api/policies/{id}/rescissions", new { effectiveAt = "2025-01-01" });
        await Assertions.Expect(Page.Locator($".row[data-policy-id='{id}'] .bar.status-rescinded")).ToHaveCountAsync(1);
        await Assertions.Expect(Item(Page.Locator("#in-force"), id)).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(Page, "live");

        Assert.Equal("still here", await Page.EvaluateAsync<string>("() => window.timelineTestMarker"));
        AssertNoConsoleErrors();
    }
}
