using System.Net;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Admin;

/// <summary>The admin rebuild, through HTTP behind the write key: the same rows after as before, and the same answers.</summary>
public sealed class RebuildEndpointTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task Rebuilding_through_the_admin_endpoint_gives_identical_rows_and_answers()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-rb-a", "2023-05-01", ("provisions", new { fee = 10 }), ("expiresAt", "2026-05-01")));
        await App.Writer.WriteAsync("/api/policies/us-rb-a/amendments", new { effectiveAt = "2024-01-01", set = new { fee = 20 } });
        await App.Writer.WriteAsync("/api/policies", Issue("us-rb-b", "2025-01-20", ("rescinds", new[] { "us-rb-a" })));
        var digest = await DigestAsync();
        var answer = (await App.Writer.GetJsonAsync("/api/policies?status=any&at=2024-06-01")).GetProperty("items").ToString();

        using var anonymous = await App.Anonymous.PostAsync("/api/admin/read-model/rebuild", new { });
        using var rebuilt = await App.Writer.PostAsync("/api/admin/read-model/rebuild", new { });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        Assert.Equal(digest, await DigestAsync());
        Assert.Equal(answer, (await App.Writer.GetJsonAsync("/api/policies?status=any&at=2024-06-01")).GetProperty("items").ToString());
    }

    private Task<string> DigestAsync() => Sql.ScalarAsync<string>(
        App.ConnectionString,
        "select md5((select coalesce(string_agg(t::text, E'\\n' order by t::text), '') from timeline.policy_versions t) || (select coalesce(string_agg(t::text, E'\\n' order by t::text), '') from timeline.policy_changes t))");
}
