using System.Globalization;
using Microsoft.Playwright;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Page;

/// <summary>"As recorded on": the page shows the picture as the record stood at an earlier record time.</summary>
public sealed class AsRecordedOnTests(PageApp app, ChromiumBrowser chromium) : PageTest(app, chromium)
{
    [Fact]
    public async Task AnInstrumentRecordedNowIsAbsentFromThePictureAsRecordedASecondBefore()
    {
        // The record time control has whole seconds: let the clock pass a second after the dataset was recorded,
        // so "a second before the new write" still holds the whole dataset.
        var dataset = await Api.GetJsonAsync("/api/policies/us-eo-14148/history");
        var datasetRecorded = dataset.GetProperty("events").EnumerateArray().Max(e => e.GetProperty("recordedAt").GetDateTimeOffset());
        await Eventually.HoldsAsync(() => DateTimeOffset.UtcNow > datasetRecorded.AddSeconds(1.5), TimeSpan.FromSeconds(10), () => "the clock did not move");
        var id = $"test-page-as-of-{Guid.NewGuid():N}"[..28];
        var written = await App.Writer.WriteAsync("/api/policies", Scenarios.Issue(id, "2024-06-01", ("topics", new[] { PageApp.TestTopic })));

        await OpenAsync("at=2025-01-21");
        var now = await InForceListAsync("2025-01-21");
        await Assertions.Expect(Item(now, id)).ToHaveCountAsync(1);
        await Assertions.Expect(Page.Locator($".row[data-policy-id='{id}']")).ToHaveCountAsync(1);

        var earlier = written.RecordedAt.UtcDateTime.AddSeconds(-1);
        // A datetime-local input keeps "13:54:00" as "13:54", and Playwright refuses a fill whose value the input does not
        // keep as given ("Malformed value"): on a whole minute, give the value as the input writes it (failed once in CI).
        var format = earlier.Second == 0 ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd'T'HH:mm:ss";
        await Page.Locator("#as-of").FillAsync(earlier.ToString(format, CultureInfo.InvariantCulture));

        var then = await InForceListAsync("2025-01-21", pastRecord: true);
        await Assertions.Expect(Item(then, id)).ToHaveCountAsync(0);
        await Assertions.Expect(Item(then, "us-eo-14148")).ToHaveCountAsync(1);
        await Assertions.Expect(Page.Locator($".row[data-policy-id='{id}']")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.Locator("body")).ToHaveClassAsync("past-record");
        await Screenshots.SaveAsync(Page, "as-recorded-on");

        await Page.Locator("#as-of-now").ClickAsync();
        await Assertions.Expect(Item(await InForceListAsync("2025-01-21"), id)).ToHaveCountAsync(1);
        AssertNoConsoleErrors();
    }
}
