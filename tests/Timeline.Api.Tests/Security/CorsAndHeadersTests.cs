using System.Net;
using Microsoft.AspNetCore.Hosting;
using Timeline.Api.Security;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Security;

/// <summary>The service with one allowed browser origin.</summary>
public sealed class CorsApp(PostgresServer postgres) : TimelineApp(postgres)
{
    public const string AllowedOrigin = "https://policy.example";

    protected override void Configure(IWebHostBuilder host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host.UseSetting("Timeline:Cors:Origins:0", AllowedOrigin);
    }
}

/// <summary>Only configured origins may call the API from a browser; with none configured, none may.</summary>
public sealed class CorsTests(CorsApp app) : IClassFixture<CorsApp>
{
    [Fact]
    public async Task A_configured_origin_may_read_and_send_writes_and_any_other_origin_gets_no_cors_headers()
    {
        app.RequirePostgres();
        using var allowed = await GetAsync(app.Anonymous, CorsApp.AllowedOrigin);
        Assert.Equal(CorsApp.AllowedOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var other = await GetAsync(app.Anonymous, "https://evil.example");
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/policies");
        preflight.Headers.Add("Origin", CorsApp.AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-api-key,content-type,if-match,idempotency-key");
        using var answer = await app.Anonymous.SendAsync(preflight, TestContext.Current.CancellationToken);
        Assert.Equal(CorsApp.AllowedOrigin, answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", answer.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);

        using var hostile = new HttpRequestMessage(HttpMethod.Options, "/api/policies");
        hostile.Headers.Add("Origin", "https://evil.example");
        hostile.Headers.Add("Access-Control-Request-Method", "POST");
        using var refused = await app.Anonymous.SendAsync(hostile, TestContext.Current.CancellationToken);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    internal static async Task<HttpResponseMessage> GetAsync(HttpClient client, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/policies");
        request.Headers.Add("Origin", origin);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}

/// <summary>Every answer carries the security headers; the page and the API get the strict policy, the API reference a relaxed one.</summary>
public sealed class SecurityHeadersTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task No_origin_is_allowed_by_default()
    {
        using var response = await CorsTests.GetAsync(App.Anonymous, "https://policy.example");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("/api/policies")]
    [InlineData("/api/policies/unknown-id")]
    [InlineData("/")]
    [InlineData("/health/live")]
    [InlineData("/openapi/v1.json")]
    public async Task Answers_and_refusals_carry_nosniff_no_referrer_no_framing_and_the_strict_policy(string path)
    {
        using var response = await App.Anonymous.GetAsync(path, TestContext.Current.CancellationToken);
        AssertCommonHeaders(response);
        Assert.Equal(SecurityHeaders.StrictPolicy, Single(response, "Content-Security-Policy"));
    }

    [Fact]
    public async Task A_refused_write_carries_them_too()
    {
        using var response = await App.Anonymous.PostAsync("/api/policies", new StringContent("{", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        AssertCommonHeaders(response);
    }

    [Fact]
    public async Task The_api_reference_gets_a_policy_that_still_forbids_framing_plugins_and_other_origins()
    {
        using var response = await App.Anonymous.GetAsync("/docs/", TestContext.Current.CancellationToken);
        AssertCommonHeaders(response);
        var policy = Single(response, "Content-Security-Policy");
        Assert.Equal(SecurityHeaders.DocsPolicy, policy);
        foreach (var directive in new[] { "default-src 'self'", "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'" })
        {
            Assert.Contains(directive, policy, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("http", policy, StringComparison.Ordinal); // nothing from another origin, fonts included
    }

    [Fact]
    public async Task The_html_audit_report_may_use_its_inline_stylesheet_and_no_script()
    {
        await App.Writer.WriteAsync("/api/policies", Scenarios.Issue("headers-report", "2024-01-01"));
        using var response = await App.Anonymous.GetAsync("/api/audit/report?policyId=headers-report&format=html", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<style>", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        AssertCommonHeaders(response);
        var policy = Single(response, "Content-Security-Policy");
        Assert.Equal(SecurityHeaders.ReportPolicy, policy);
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
    }

    private static void AssertCommonHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
    }

    private static string Single(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values) ? values.Single() : throw new Xunit.Sdk.XunitException($"{header} is missing");
}
