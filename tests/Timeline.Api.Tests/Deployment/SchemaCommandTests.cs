using System.Diagnostics;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Deployment;

/// <summary>
/// <c>Timeline.Api --apply-schema</c>, what the Kubernetes migration job runs: it creates the whole schema on an empty
/// database and exits, without loading data or serving; run again it changes nothing and still succeeds.
/// </summary>
public sealed class SchemaCommandTests(PostgresServer postgres)
{
    [Fact]
    public async Task Apply_schema_creates_every_table_on_an_empty_database_and_exits()
    {
        postgres.SkipIfUnavailable();
        var database = await postgres.CreateDatabaseAsync("timeline_schema");

        var (exitCode, output) = await RunAsync(database);
        Assert.True(exitCode == 0, $"--apply-schema exited {exitCode}:\n{output}");
        var tables = await Sql.ScalarAsync<string[]>(database, "select array_agg(table_name::text order by table_name) from information_schema.tables where table_schema = 'timeline'");
        Assert.Subset(
            new HashSet<string>(tables),
            new HashSet<string> { "mt_events", "mt_streams", "mt_event_progression", "policy_versions", "policy_changes", "audit_chain", "audit_checkpoints", "took_effect_announcements" });
        Assert.Equal(0L, await Sql.ScalarAsync<long>(database, "select count(*) from timeline.mt_events")); // no dataset, no writes

        var again = await RunAsync(database);
        Assert.True(again.ExitCode == 0, $"a second --apply-schema exited {again.ExitCode}:\n{again.Output}");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string connectionString)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Timeline.Api.dll"));
        start.ArgumentList.Add("--apply-schema");
        start.Environment["ConnectionStrings__Timeline"] = connectionString;
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the service.");
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
