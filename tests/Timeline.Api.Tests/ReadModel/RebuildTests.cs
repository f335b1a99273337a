using Microsoft.Extensions.DependencyInjection;
using Timeline.Api.ReadModel;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.ReadModel;

/// <summary>The read model is disposable: rebuilding it from the log gives the same rows, byte for byte.</summary>
public sealed class RebuildTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task Rebuilding_a_damaged_read_model_from_the_log_gives_the_original_rows_back()
    {
        var api = App.Writer;
        await api.WriteAsync("/api/policies", Issue("us-a", "2023-10-30", ("provisions", new { fee = 10, destinations = new[] { "CN", "MO" } }), ("expiresAt", "2026-10-30")));
        var amended = await api.WriteAsync("/api/policies/us-a/amendments", new { effectiveAt = "2024-05-01", set = new { fee = 20 } });
        await api.WriteAsync("/api/policies/us-a/amendments", new { effectiveAt = "2024-02-01", set = new { note = "earlier" }, remove = new[] { "destinations" } });
        await api.WriteAsync("/api/policies/us-a/corrections", new { eventId = amended.EventIds[0], changes = new { set = new { fee = 25 } }, reason = "wrong amount" });
        await api.WriteAsync("/api/policies/us-a/suspensions", new { effectiveAt = "2024-06-01", reason = "preliminary injunction", by = "D.D.C." });
        await api.WriteAsync("/api/policies/us-a/reinstatements", new { effectiveAt = "2024-06-01T12:00:00Z", reason = "stay lifted" });
        await api.WriteAsync("/api/policies/us-a/extensions", new { effectiveAt = "2025-01-01", expiresAt = "2027-10-30" });
        await api.WriteAsync("/api/policies", Issue("us-b", "2025-03-01", ("supersedes", new[] { "us-a" })));
        await api.WriteAsync("/api/policies", Issue("us-c", "2024-01-01", ("expiresAt", "2024-12-31")));
        await api.WriteAsync("/api/policies/us-c/expirations", new { effectiveAt = "2024-09-01" });
        var before = await DigestAsync();
        await Sql.ExecuteAsync(App.ConnectionString, "delete from timeline.policy_versions where policy_id = 'us-a'; delete from timeline.policy_changes");

        await App.Services.GetRequiredService<ReadModelRebuild>().RunAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

        var after = await DigestAsync();
        Assert.True(before.VersionRows > 10, $"the history should give a non-trivial read model, got {before.VersionRows} version rows");
        Assert.Equal(before, after);
    }

    private async Task<TableDigest> DigestAsync() => new(
        await Sql.ScalarAsync<long>(App.ConnectionString, "select count(*) from timeline.policy_versions"),
        await Sql.ScalarAsync<string>(App.ConnectionString, "select md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) from timeline.policy_versions t"),
        await Sql.ScalarAsync<long>(App.ConnectionString, "select count(*) from timeline.policy_changes"),
        await Sql.ScalarAsync<string>(App.ConnectionString, "select md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) from timeline.policy_changes t"));

    private sealed record TableDigest(long VersionRows, string VersionsMd5, long ChangeRows, string ChangesMd5);
}
