using System.Diagnostics;
using Microsoft.Playwright;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Page;

/// <summary>
/// Debian's Chromium driven by Playwright, one browser per test class. Playwright's driver (node) ships in its NuGet
/// package; its own browser download is never used: the browser is the machine's, at <see cref="ExecutablePath"/>.
/// Without it the page tests are skipped with instructions (on CI, where CI is set, they fail).
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    public const string HowToRun =
        "To run the page tests, install Chromium (`apt-get install chromium`; Playwright drives /usr/bin/chromium, "
        + "or set TIMELINE_TEST_CHROMIUM to another Chromium binary). `bash .ci/run` installs it.";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _unavailable;

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("TIMELINE_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            _unavailable = $"No Chromium at {ExecutablePath}.";
            return;
        }

        // Nothing may be downloaded: the browser is the machine's.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        try
        {
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                // As root there is no sandbox; shared memory is small in containers.
                ChromiumSandbox = false,
                Args = ["--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
        }
        catch (PlaywrightException exception)
        {
            _unavailable = $"Chromium at {ExecutablePath} did not start: {exception.Message}";
        }
    }

    /// <summary>A fresh page in its own context (laptop screen, UTC), or a skipped (failed, on CI) test.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        if (_browser is null)
        {
            Unavailable(_unavailable ?? "Chromium did not start.");
        }

        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            TimezoneId = "UTC",
            Locale = "en-US",
        });
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Unavailable(string reason)
    {
        var message = $"{reason} {HowToRun}";
        if (PostgresRequirement.IsCi)
        {
            throw new InvalidOperationException($"CI is set, so Chromium must be available. {message}");
        }

        Assert.Skip(message);
        throw new UnreachableException();
    }
}
