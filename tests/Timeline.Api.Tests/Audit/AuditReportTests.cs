using System.Net;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Audit;

/// <summary>Audit reports as Markdown, HTML and CSV: every change with both clocks, who recorded it, its source and hash, and the chain's verification.</summary>
public sealed class AuditReportTests(TimelineApp app) : ApiTest(app)
{
    private const string Id = "us-report";

    [Fact]
    public async Task A_report_on_an_instrument_lists_every_change_with_its_clocks_author_source_and_hash_in_each_format()
    {
        var issued = await EnsureHistoryAsync();

        var markdown = await App.Anonymous.GetStringAsync($"/api/audit/report?policyId={Id}", TestContext.Current.CancellationToken);
        var csv = await App.Anonymous.GetStringAsync($"/api/audit/report?policyId={Id}&format=csv", TestContext.Current.CancellationToken);
        var html = await App.Anonymous.GetStringAsync($"/api/audit/report?policyId={Id}&format=html", TestContext.Current.CancellationToken);
        var history = (await App.Anonymous.GetJsonAsync($"/api/policies/{Id}/history")).GetProperty("events").EnumerateArray().ToList();

        Assert.Contains("Hash chain: verified", markdown, StringComparison.Ordinal);
        Assert.Contains("| issued |", markdown, StringComparison.Ordinal);
        Assert.Contains("| corrected |", markdown, StringComparison.Ordinal);
        Assert.Contains(TimelineApp.KeyName, markdown, StringComparison.Ordinal);
        Assert.Contains("[link](https://www.federalregister.gov/d/2024-00001)", markdown, StringComparison.Ordinal);

        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith('#')).Skip(1).ToList();
        Assert.Equal(history.Count, rows.Count);
        Assert.All(history, e => Assert.Contains(e.Text("hash"), csv, StringComparison.Ordinal));
        Assert.Contains("\"Amended: \"\"quoted\"\", with a comma\"", csv, StringComparison.Ordinal);
        Assert.Contains(Timeline.Domain.Time.Instants.Format(issued.RecordedAt), csv, StringComparison.Ordinal);

        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_needs_a_subject()
    {
        using var response = await App.Anonymous.GetAsync("/api/audit/report", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static readonly SemaphoreSlim Once = new(1, 1);

    private async Task<WriteAnswer> EnsureHistoryAsync()
    {
        await Once.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            var issued = await App.Writer.WriteAsync("/api/policies", Issue(Id, "2024-01-10",
                ("title", "A rule with <script>alert(1)</script> in its title"),
                ("citation", "89 FR 1"),
                ("sourceUrl", "https://www.federalregister.gov/d/2024-00001")));
            var amended = await App.Writer.WriteAsync($"/api/policies/{Id}/amendments", new { effectiveAt = "2024-02-01", set = new { fee = 1 }, summary = "\"quoted\", with a comma" });
            await App.Writer.WriteAsync($"/api/policies/{Id}/corrections", new { eventId = amended.EventIds[0], changes = new { effectiveAt = "2024-02-02" }, reason = "a later date" });
            return issued;
        }
        finally
        {
            Once.Release();
        }
    }
}
