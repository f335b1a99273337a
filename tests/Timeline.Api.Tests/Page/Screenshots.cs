using Microsoft.Playwright;

namespace Timeline.Api.Tests.Page;

/// <summary>
/// Screenshots of the main views, saved by every run: to TIMELINE_SCREENSHOTS when set (the README's come from
/// <c>TIMELINE_SCREENSHOTS=$PWD/docs/screenshots</c>), else beside the test binaries in <c>screenshots/</c>.
/// </summary>
public static class Screenshots
{
    public static string Directory =>
        Environment.GetEnvironmentVariable("TIMELINE_SCREENSHOTS") is { Length: > 0 } directory
            ? directory
            : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task SaveAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        System.IO.Directory.CreateDirectory(Directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Directory, $"{name}.png") });
    }
}
