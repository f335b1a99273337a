using Timeline.Api.Tests.Acceptance;
using Timeline.Api.Tests.Infrastructure;
using Timeline.Cli;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Cli;

/// <summary>
/// The read commands against the service with the curated dataset (the acceptance tests' <see cref="LoadedDataset"/>):
/// what a newcomer types, what a script reads with --json, and both clocks.
/// </summary>
public sealed class CliReadTests(DatasetApp app) : AcceptanceTest(app), IDisposable
{
    private const string Proclamation = "us-proclamation-10973";
    private readonly CliRunner _cli = CliRunner.For(app, key: null);

    [Fact]
    public async Task At_2025_09_21_with_topic_immigration_shows_the_H1B_proclamation_and_its_hundred_thousand_dollar_payment()
    {
        var result = await _cli.RunAsync("at", "2025-09-21", "--topic", "immigration");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains(Proclamation, result.Output, StringComparison.Ordinal);
        Assert.Contains("h1b.new-petition-payment-usd = USD 100,000", result.Output, StringComparison.Ordinal);
        Assert.Contains("2025-09-21 00:01 EDT", result.Output, StringComparison.Ordinal);
        // The topic filter passed through: the chip-export rules in force that day are not listed.
        Assert.DoesNotContain("us-bis-2022-10-07-advanced-computing", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", result.Output, StringComparison.Ordinal); // redirected: no colour codes
    }

    [Fact]
    public async Task At_with_json_prints_the_API_answer_for_scripts()
    {
        var result = await _cli.RunAsync("at", "2025-09-21", "--topic", "immigration", "--json");
        var api = await Api.GetJsonAsync("/api/policies?at=2025-09-21&topic=immigration");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal(api.GetProperty("at").GetString(), result.Json.GetProperty("at").GetString());
        Assert.Equal(Ids(api), Ids(result.Json));
        Assert.Contains(Proclamation, Ids(result.Json));
    }

    [Fact]
    public async Task At_as_of_a_record_time_before_the_dataset_was_loaded_lists_nothing()
    {
        var result = await _cli.RunAsync("at", "2025-09-21", "--as-of", Instant(App.BeforeLoad));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("Nothing matches.", result.Output, StringComparison.Ordinal);
        Assert.Contains(Instant(App.BeforeLoad), result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_gives_the_proclamation_pending_a_minute_before_its_effective_time_and_in_force_with_the_payment_a_minute_after()
    {
        var before = await _cli.RunAsync("show", Proclamation, "--at", "2025-09-20T23:59:00-04:00");
        var after = await _cli.RunAsync("show", Proclamation, "--at", "2025-09-21T00:01:00-04:00");

        Assert.True(before.ExitCode == ExitCodes.Ok, before.ToString());
        Assert.Contains("pending", before.Output, StringComparison.Ordinal);
        Assert.True(after.ExitCode == ExitCodes.Ok, after.ToString());
        Assert.Contains("in-force", after.Output, StringComparison.Ordinal);
        Assert.Contains("USD 100,000", after.Output, StringComparison.Ordinal);
        Assert.Contains("FR Doc. 2025-18601", after.Output, StringComparison.Ordinal);
        Assert.Contains("2025-09-21 00:01 EDT", after.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_of_an_unknown_instrument_is_refused_with_exit_code_1_and_says_how_to_find_ids()
    {
        var result = await _cli.RunAsync("show", "us-no-such-instrument");

        Assert.True(result.ExitCode == ExitCodes.Refused, result.ToString());
        Assert.Contains("404", result.Error, StringComparison.Ordinal);
        Assert.Contains("us-no-such-instrument", result.Error, StringComparison.Ordinal);
        Assert.Contains("timeline at <date> --status any", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_lists_every_event_with_both_clocks_and_json_gives_the_API_answer()
    {
        var api = await Api.GetJsonAsync($"/api/policies/{Proclamation}/history");
        var events = api.GetProperty("events").EnumerateArray().ToList();

        var table = await _cli.RunAsync("history", Proclamation);
        var json = await _cli.RunAsync("history", Proclamation, "--json");

        Assert.True(table.ExitCode == ExitCodes.Ok, table.ToString());
        Assert.All(events, e => Assert.Contains(e.Text("eventId"), table.Output, StringComparison.Ordinal));
        Assert.Contains("suspended", table.Output, StringComparison.Ordinal);
        Assert.Contains("2025-09-21 00:01 EDT", table.Output, StringComparison.Ordinal); // effective, in the proclamation's zone
        var recorded = events[0].GetProperty("recordedAt").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(recorded, table.Output, StringComparison.Ordinal); // recorded, in UTC
        Assert.True(json.ExitCode == ExitCodes.Ok, json.ToString());
        Assert.Equal(events.Select(e => e.Text("eventId")), json.Json.GetProperty("events").EnumerateArray().Select(e => e.Text("eventId")));
    }

    [Fact]
    public async Task Diff_across_the_revocation_of_EO_14110_lists_it_as_having_left_force()
    {
        var api = await Api.GetJsonAsync("/api/diff?from=2025-01-19&to=2025-01-21&topic=ai");
        var result = await _cli.RunAsync("diff", "2025-01-19", "2025-01-21", "--topic", "ai");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("us-eo-14110", api.GetProperty("leftForce").EnumerateArray().Select(i => i.Text("id")));
        var leftForce = Section(result.Output, "Left force");
        Assert.All(api.GetProperty("leftForce").EnumerateArray(), i => Assert.Contains(i.Text("id"), leftForce, StringComparison.Ordinal));
        Assert.Contains("in-force -> rescinded", leftForce, StringComparison.Ordinal);
        var cameIntoForce = Section(result.Output, "Came into force");
        Assert.All(api.GetProperty("cameIntoForce").EnumerateArray(), i => Assert.Contains(i.Text("id"), cameIntoForce, StringComparison.Ordinal));

        var json = await _cli.RunAsync("diff", "2025-01-19", "2025-01-21", "--topic", "ai", "--json");
        Assert.Equal(api.GetProperty("leftForce").GetArrayLength(), json.Json.GetProperty("leftForce").GetArrayLength());
    }

    public void Dispose() => _cli.Dispose();

    private static List<string> Ids(System.Text.Json.JsonElement list) => [.. list.GetProperty("items").EnumerateArray().Select(i => i.Text("id"))];

    /// <summary>The text of one section of the diff's output, from its heading to the next.</summary>
    private static string Section(string output, string heading)
    {
        var start = output.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No '{heading}' section in:\n{output}");
        var next = new[] { "Came into force", "Left force", "Provisions changed", "Other status changes" }
            .Select(h => output.IndexOf(h, start + heading.Length, StringComparison.Ordinal)).Where(i => i > 0).DefaultIfEmpty(output.Length).Min();
        return output[start..next];
    }
}
