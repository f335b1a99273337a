using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.PointInTime;

/// <summary>
/// The issue's "done means", through HTTP: issue an instrument, amend it retroactively (out of effective
/// order), correct an effective date, rescind it through another instrument; then ask on the day before,
/// on and after each effective time, as of before and after each recording.
/// </summary>
public sealed class BitemporalScenarioTests(TimelineApp app) : ApiTest(app)
{
    private const string Eo = "us-eo-14110";
    private const string Revocation = "us-eo-14148";
    private const string Threshold = "reporting.compute-threshold-ops";
    private const string Frequency = "reporting.frequency";

    [Fact]
    public async Task Every_date_and_every_record_time_gives_the_answer_the_record_had_then()
    {
        var api = App.Writer;
        var issued = await api.WriteAsync("/api/policies", Issue(Eo, "2023-10-30", ("provisions", new Dictionary<string, object> { [Threshold] = 100000000000000000000000000m })));
        var laterAmendment = await api.WriteAsync($"/api/policies/{Eo}/amendments", new { effectiveAt = "2024-03-01", set = new Dictionary<string, object> { [Frequency] = "quarterly" } });
        var earlierAmendment = await api.WriteAsync($"/api/policies/{Eo}/amendments", new { effectiveAt = "2024-01-15", set = new Dictionary<string, object> { [Threshold] = 1000 } });
        var correction = await api.WriteAsync($"/api/policies/{Eo}/corrections", new
        {
            eventId = laterAmendment.EventIds[0],
            changes = new { effectiveAt = "2024-02-15" },
            reason = "The amendment took effect on publication, not on 1 March.",
        });
        var revocation = await api.WriteAsync("/api/policies", Issue(Revocation, "2025-01-20T17:00:00Z", ("rescinds", new[] { Eo })));

        // As of its recording: pending the day before, in force from the day it took effect.
        Assert.Equal("pending", (await api.StateAsync(Eo, "2023-10-29", issued.RecordedAt)).Status());
        var onIssue = await api.StateAsync(Eo, "2023-10-30", issued.RecordedAt);
        Assert.Equal("in-force", onIssue.Status());
        Assert.False(onIssue.HasProvision(Frequency));

        // Before the record knew of an amendment, no date shows it; after, the dates from its effective time do.
        Assert.False((await api.StateAsync(Eo, "2024-03-02", Before(laterAmendment.RecordedAt))).HasProvision(Frequency));
        Assert.False((await api.StateAsync(Eo, "2024-02-29", laterAmendment.RecordedAt)).HasProvision(Frequency));
        Assert.Equal("quarterly", (await api.StateAsync(Eo, "2024-03-01", laterAmendment.RecordedAt)).Provision(Frequency).GetString());

        // An amendment recorded later but effective earlier applies from its own effective time.
        Assert.Equal(100000000000000000000000000m, (await api.StateAsync(Eo, "2024-01-14", earlierAmendment.RecordedAt)).Provision(Threshold).GetDecimal());
        Assert.Equal(1000, (await api.StateAsync(Eo, "2024-01-15", earlierAmendment.RecordedAt)).Provision(Threshold).GetInt32());
        Assert.Equal(100000000000000000000000000m, (await api.StateAsync(Eo, "2024-01-16", Before(earlierAmendment.RecordedAt))).Provision(Threshold).GetDecimal());

        // The corrected effective date applies as of the correction, and never before it.
        Assert.False((await api.StateAsync(Eo, "2024-02-15", Before(correction.RecordedAt))).HasProvision(Frequency));
        Assert.False((await api.StateAsync(Eo, "2024-02-14", correction.RecordedAt)).HasProvision(Frequency));
        var corrected = await api.StateAsync(Eo, "2024-02-15", correction.RecordedAt);
        Assert.Equal("quarterly", corrected.Provision(Frequency).GetString());
        Assert.Equal(new DateTimeOffset(2024, 2, 15, 5, 0, 0, TimeSpan.Zero), corrected.GetProperty("effectiveFrom").GetDateTimeOffset());

        // Rescinded through another instrument: from its effective instant, and only as of its recording.
        Assert.Equal("in-force", (await api.StateAsync(Eo, "2025-01-20T16:59:59Z", revocation.RecordedAt)).Status());
        var rescinded = await api.StateAsync(Eo, "2025-01-20", revocation.RecordedAt);
        Assert.Equal("rescinded", rescinded.Status());
        Assert.Equal(Revocation, rescinded.Text("rescindedBy"));
        Assert.Equal("rescinded", (await api.StateAsync(Eo, "2025-01-21", revocation.RecordedAt)).Status());
        Assert.Equal("in-force", (await api.StateAsync(Eo, "2025-01-21", Before(revocation.RecordedAt))).Status());

        // Without asOf, the record as it stands now.
        Assert.Equal("rescinded", (await api.StateAsync(Eo, "2026-01-01")).Status());
    }

    [Fact]
    public async Task A_read_echoes_the_instants_it_resolved_a_date_to()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-echo", "2025-01-01"));

        var state = await App.Writer.StateAsync("us-echo", "2025-01-20");

        // A date means the end of that day in America/New_York (EST, UTC-5 in January).
        Assert.Equal(new DateTimeOffset(2025, 1, 21, 4, 59, 59, TimeSpan.Zero).AddTicks(9_999_990), state.GetProperty("at").GetDateTimeOffset());
        Assert.True(state.GetProperty("asOf").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
    }
}
