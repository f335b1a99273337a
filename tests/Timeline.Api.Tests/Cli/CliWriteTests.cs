using Timeline.Api.Tests.Infrastructure;
using Timeline.Cli;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Cli;

/// <summary>
/// Every write of the command line against the service on its own database: what it records, read back through the API,
/// and every refusal with exit code 1 (or 2 before sending) and nothing written.
/// </summary>
public sealed class CliWriteTests(TimelineApp app) : ApiTest(app), IDisposable
{
    private readonly CliRunner _cli = CliRunner.For(app);

    [Fact]
    public async Task Issue_with_options_records_the_instrument_with_its_provisions_typed_as_JSON()
    {
        var result = await _cli.RunAsync(
            "issue", "us-cli-issue", "--kind", "proclamation", "--title", "A proclamation", "--jurisdiction", "US",
            "--topic", "immigration", "--topic", "h-1b", "--effective-at", "2025-09-21T00:01:00-04:00",
            "--provision", "h1b.new-petition-payment-usd=100000", "--provision", "h1b.payment=one-time", "--provision", "destinations=[\"CN\",\"MO\"]",
            "--citation", "Proclamation 10973");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("Recorded 1 event on us-cli-issue", result.Output, StringComparison.Ordinal);
        var state = await App.Anonymous.StateAsync("us-cli-issue", "2025-09-22");
        Assert.Equal("in-force", state.Status());
        Assert.Equal(100000, state.Provision("h1b.new-petition-payment-usd").GetInt32());
        Assert.Equal("one-time", state.Provision("h1b.payment").GetString());
        Assert.Equal(["CN", "MO"], state.Provision("destinations").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(["immigration", "h-1b"], state.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("2025-09-21T04:01:00Z", state.Text("effectiveAt"));
    }

    [Fact]
    public async Task Issue_reads_the_body_from_stdin_and_json_prints_the_write_answer()
    {
        var body = System.Text.Json.JsonSerializer.Serialize(Issue("us-cli-stdin", "2024-01-01"), TimelineApp.Json);

        var result = await _cli.RunAsync(["issue", "--file", "-", "--title", "Title from the option", "--json"], body, TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("us-cli-stdin", result.Json.Text("policyId"));
        Assert.Equal(1, result.Json.GetProperty("eventIds").GetArrayLength());
        Assert.Equal("Title from the option", (await App.Anonymous.StateAsync("us-cli-stdin", "2024-02-01")).Text("title"));
    }

    [Fact]
    public async Task Amend_sets_and_removes_provisions_from_its_effective_date()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-cli-amend", "2024-01-01", ("provisions", new { fee = 1, old = "x" })));

        var result = await _cli.RunAsync("amend", "us-cli-amend", "--effective-at", "2024-03-01", "--set", "fee=2", "--remove", "old", "--summary", "raised");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("version 2", result.Output, StringComparison.Ordinal);
        Assert.Equal(1, (await App.Anonymous.StateAsync("us-cli-amend", "2024-02-29")).Provision("fee").GetInt32());
        var amended = await App.Anonymous.StateAsync("us-cli-amend", "2024-03-01");
        Assert.Equal(2, amended.Provision("fee").GetInt32());
        Assert.False(amended.HasProvision("old"));
    }

    [Fact]
    public async Task Suspend_and_reinstate_change_the_status_from_their_effective_dates()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-cli-suspend", "2024-01-01"));

        var suspended = await _cli.RunAsync("suspend", "us-cli-suspend", "--effective-at", "2024-06-01", "--reason", "preliminary injunction", "--by", "D. Mass.");
        var reinstated = await _cli.RunAsync("reinstate", "us-cli-suspend", "--effective-at", "2024-07-01", "--reason", "stay granted");

        Assert.True(suspended.ExitCode == ExitCodes.Ok, suspended.ToString());
        Assert.True(reinstated.ExitCode == ExitCodes.Ok, reinstated.ToString());
        var during = await App.Anonymous.StateAsync("us-cli-suspend", "2024-06-15");
        Assert.Equal("suspended", during.Status());
        Assert.Equal("preliminary injunction", during.Text("suspensionReason"));
        Assert.Equal("in-force", (await App.Anonymous.StateAsync("us-cli-suspend", "2024-07-01")).Status());
    }

    [Fact]
    public async Task Rescind_by_another_instrument_ends_it_from_that_date()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-cli-rescinded", "2024-01-01"));
        await App.Writer.WriteAsync("/api/policies", Issue("us-cli-rescinder", "2025-01-20"));

        var result = await _cli.RunAsync("rescind", "us-cli-rescinded", "--effective-at", "2025-01-20", "--by", "us-cli-rescinder");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("in-force", (await App.Anonymous.StateAsync("us-cli-rescinded", "2025-01-19")).Status());
        var rescinded = await App.Anonymous.StateAsync("us-cli-rescinded", "2025-01-20");
        Assert.Equal("rescinded", rescinded.Status());
        Assert.Equal("us-cli-rescinder", rescinded.Text("rescindedBy"));
    }

    [Fact]
    public async Task Expire_ends_it_from_its_effective_time()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-cli-expire", "2024-01-01"));

        var result = await _cli.RunAsync("expire", "us-cli-expire", "--effective-at", "2025-01-01", "--note", "sunset clause");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("in-force", (await App.Anonymous.StateAsync("us-cli-expire", "2024-12-30")).Status());
        Assert.Equal("expired", (await App.Anonymous.StateAsync("us-cli-expire", "2025-01-02")).Status());
    }

    [Fact]
    public async Task Correct_changes_an_earlier_events_field_and_the_record_as_of_before_still_shows_the_original()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-cli-correct", "2024-01-01"));
        var amendment = await App.Writer.WriteAsync("/api/policies/us-cli-correct/amendments", new { effectiveAt = "2024-03-01", set = new { fee = 2 } });

        var result = await _cli.RunAsync(
            "correct", "us-cli-correct", "--event", amendment.EventIds[0].ToString(), "--change", "effectiveAt=2024-02-15", "--reason", "took effect on publication");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.True((await App.Anonymous.StateAsync("us-cli-correct", "2024-02-20")).HasProvision("fee"));
        Assert.False((await App.Anonymous.StateAsync("us-cli-correct", "2024-02-20", amendment.RecordedAt)).HasProvision("fee"));
    }

    [Fact]
    public async Task A_write_the_service_refuses_exits_with_1_shows_the_problem_and_what_to_do_and_writes_nothing()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-cli-refused", "2024-01-01"));
        var before = await App.CountAsync();

        var unknown = await _cli.RunAsync("amend", "us-cli-no-such", "--effective-at", "2024-03-01", "--set", "fee=2");
        var invalid = await _cli.RunAsync("issue", "us-cli-invalid", "--title", "No kind", "--jurisdiction", "US", "--topic", "ai", "--effective-at", "2024-01-01");
        var stale = await _cli.RunAsync("amend", "us-cli-refused", "--effective-at", "2024-03-01", "--set", "fee=2", "--if-match", "7", "--json");
        var wrongKey = await new CliRunner(App.CreateHandler, key: "not-a-key").RunAsync("amend", "us-cli-refused", "--effective-at", "2024-03-01", "--set", "fee=2");

        Assert.True(unknown.ExitCode == ExitCodes.Refused, unknown.ToString());
        Assert.Contains("404", unknown.Error, StringComparison.Ordinal);
        Assert.True(invalid.ExitCode == ExitCodes.Refused, invalid.ToString());
        Assert.Contains("kind:", invalid.Error, StringComparison.Ordinal);
        Assert.Contains("timeline issue --help", invalid.Error, StringComparison.Ordinal);
        Assert.True(stale.ExitCode == ExitCodes.Refused, stale.ToString());
        Assert.Contains("412", stale.Error, StringComparison.Ordinal);
        Assert.Contains("timeline show us-cli-refused", stale.Error, StringComparison.Ordinal);
        Assert.Equal(412, stale.Json.GetProperty("status").GetInt32()); // with --json, the problem itself on stdout
        Assert.True(wrongKey.ExitCode == ExitCodes.Refused, wrongKey.ToString());
        Assert.Contains("TIMELINE_API_KEY", wrongKey.Error, StringComparison.Ordinal);
        Assert.All([unknown, invalid, stale, wrongKey], r => Assert.Contains("Nothing was written", r.Error, StringComparison.Ordinal));
        Assert.Equal(before, await App.CountAsync());
    }

    [Fact]
    public async Task The_right_if_match_version_writes_and_a_repeated_idempotency_key_writes_nothing_new()
    {
        var issued = await App.Writer.WriteAsync("/api/policies", Issue("us-cli-conditions", "2024-01-01"));
        string[] amend = ["amend", "us-cli-conditions", "--effective-at", "2024-03-01", "--set", "fee=2", "--idempotency-key", "cli-test-1"];

        var first = await _cli.RunAsync([.. amend, "--if-match", issued.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)], null, TestContext.Current.CancellationToken);
        var counts = await App.CountAsync();
        var repeat = await _cli.RunAsync(amend);

        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        Assert.True(repeat.ExitCode == ExitCodes.Ok, repeat.ToString());
        Assert.Contains("Already recorded", repeat.Output, StringComparison.Ordinal);
        Assert.Equal(counts, await App.CountAsync());
    }

    [Fact]
    public async Task Without_a_key_a_write_is_a_usage_error_that_says_how_to_set_one_and_sends_nothing()
    {
        var before = await App.CountAsync();
        using var keyless = new CliRunner(App.CreateHandler, key: null);

        var result = await keyless.RunAsync("issue", "us-cli-keyless", "--kind", "rule", "--title", "t", "--jurisdiction", "US", "--topic", "ai", "--effective-at", "2024-01-01");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("TIMELINE_API_KEY", result.Error, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(keyless.WorkingDirectory, ".timeline", "api-key"), result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await App.CountAsync());
    }

    [Fact]
    public async Task Without_the_variable_the_key_is_read_from_the_embedded_defaults_key_file()
    {
        using var keyless = new CliRunner(App.CreateHandler, key: null);
        Directory.CreateDirectory(Path.Combine(keyless.WorkingDirectory, ".timeline"));
        await File.WriteAllTextAsync(Path.Combine(keyless.WorkingDirectory, ".timeline", "api-key"), TimelineApp.ApiKey + "\n", TestContext.Current.CancellationToken);

        var result = await keyless.RunAsync("issue", "us-cli-key-file", "--kind", "rule", "--title", "t", "--jurisdiction", "US", "--topic", "ai", "--effective-at", "2024-01-01");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("in-force", (await App.Anonymous.StateAsync("us-cli-key-file", "2024-01-02")).Status());
    }

    [Fact]
    public async Task Import_federal_register_records_a_document_once_and_says_already_recorded_the_second_time()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "FederalRegister", "Fixtures", "2022-21658.json");

        var first = await _cli.RunAsync("import", "federal-register", file);
        var counts = await App.CountAsync();
        var second = await _cli.RunAsync("import", "federal-register", file);

        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        Assert.Contains("1 imported", first.Output, StringComparison.Ordinal);
        Assert.True(second.ExitCode == ExitCodes.Ok, second.ToString());
        Assert.Contains("already recorded", second.Output, StringComparison.Ordinal);
        Assert.Equal(counts, await App.CountAsync());
        // Mapped to the dataset's id for that rule, as the tool knows the curated ids.
        var history = await App.Anonymous.GetJsonAsync("/api/policies/us-bis-2022-10-07-advanced-computing/history");
        Assert.Equal("issued", history.GetProperty("events")[0].Text("type"));
    }

    public void Dispose() => _cli.Dispose();
}
