using Microsoft.Playwright;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Page;

/// <summary>
/// A page test: the page in a fresh browser context against the service with the curated dataset. It records what
/// the page asked for and every console error, so each test can check the page stayed local and clean.
/// </summary>
[Collection(nameof(PageInBrowser))]
public abstract class PageTest : IAsyncDisposable
{
    private readonly ChromiumBrowser _chromium;
    private readonly List<string> _errors = [];
    private readonly List<string> _requests = [];
    private IPage? _page;

    protected PageTest(PageApp app, ChromiumBrowser chromium)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.RequirePostgres();
        App = app;
        _chromium = chromium;
        // The machine is shared and loaded: wait longer than Playwright's 5 s for what the page shows.
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    protected PageApp App { get; }

    protected IPage Page => _page ?? throw new InvalidOperationException("Call OpenAsync first.");

    protected HttpClient Api => App.Anonymous;

    /// <summary>Opens the page (with an optional #at=...&amp;asOf=...&amp;id=... state) and waits until its timeline is drawn.</summary>
    protected async Task OpenAsync(string state = "")
    {
        _page = await _chromium.NewPageAsync(App.Address!);
        _page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_errors)
                {
                    _errors.Add(message.Text);
                }
            }
        };
        _page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add(error);
            }
        };
        _page.Request += (_, request) =>
        {
            lock (_requests)
            {
                _requests.Add(request.Url);
            }
        };
        await _page.GotoAsync(state.Length == 0 ? "/" : $"/#{state}");
        await Assertions.Expect(_page.Locator("#timeline[data-loaded]")).ToHaveCountAsync(1);
    }

    /// <summary>What the page asked for, outside the service included.</summary>
    protected IReadOnlyList<string> Requests()
    {
        lock (_requests)
        {
            return [.. _requests];
        }
    }

    /// <summary>No script error, failed resource or policy violation so far.</summary>
    protected void AssertNoConsoleErrors()
    {
        lock (_errors)
        {
            Assert.True(_errors.Count == 0, "The page logged errors:\n" + string.Join('\n', _errors));
        }
    }

    /// <summary>The in-force list once it shows <paramref name="at"/> (and, when given, a past record time).</summary>
    protected async Task<ILocator> InForceListAsync(string at, bool pastRecord = false)
    {
        var list = Page.Locator(pastRecord ? $"#in-force[data-at='{at}']:not([data-as-of=''])" : $"#in-force[data-at='{at}'][data-as-of='']");
        await Assertions.Expect(list).ToHaveCountAsync(1);
        await Assertions.Expect(list).Not.ToHaveAttributeAsync("aria-busy", "true");
        return list;
    }

    protected static ILocator Item(ILocator list, string id) => list.Locator($"li.in-force-item[data-policy-id='{id}']");

    public async ValueTask DisposeAsync()
    {
        if (_page is not null)
        {
            await _page.Context.CloseAsync();
        }

        GC.SuppressFinalize(this);
    }
}
