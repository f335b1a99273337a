using System.Net;
using Microsoft.AspNetCore.Hosting;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Security;

/// <summary>The service with a small write budget: a burst of 3, then one write a minute, per caller.</summary>
public sealed class RateLimitedApp(PostgresServer postgres) : TimelineApp(postgres)
{
    public const int Burst = 3;
    public const string OtherKey = "other-key-5521";

    protected override void Configure(IWebHostBuilder host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host.UseSetting("Timeline:RateLimits:Writes:Burst", Burst.ToString(System.Globalization.CultureInfo.InvariantCulture));
        host.UseSetting("Timeline:RateLimits:Writes:PerMinute", "1");
        host.UseSetting("Timeline:ApiKeys:1:Name", "other");
        host.UseSetting("Timeline:ApiKeys:1:Key", OtherKey);
    }
}

/// <summary>Writes are limited per caller: over the budget a write is a 429 problem with Retry-After and writes nothing; other callers and reads go on.</summary>
public sealed class RateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task Past_its_burst_a_caller_gets_429_with_retry_after_while_another_key_and_reads_are_unaffected()
    {
        app.RequirePostgres();
        for (var i = 0; i < RateLimitedApp.Burst; i++)
        {
            await app.Writer.WriteAsync("/api/policies", Issue($"rl-{i}", "2024-01-01"));
        }

        var before = await app.CountAsync();
        using var refused = await app.Writer.PostAsync("/api/policies", Issue("rl-over", "2024-01-01"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { TotalSeconds: >= 1 and <= 60 }, $"Retry-After should say when a token is back, within the minute: {retryAfter}");
        Assert.Equal("https://timeline.dev/problems/too-many-requests", (await refused.ReadJsonAsync()).Text("type"));
        Assert.Equal(before, await app.CountAsync());

        using var other = app.CreateClient(RateLimitedApp.OtherKey);
        await other.WriteAsync("/api/policies", Issue("rl-other", "2024-01-01"));

        for (var i = 0; i < 10; i++)
        {
            await app.Writer.GetJsonAsync("/api/policies?status=any");
        }
    }
}
