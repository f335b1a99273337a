using System.Net;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Http;

/// <summary>Health, the OpenAPI document and the interactive reference that come with the service.</summary>
public sealed class ServiceSurfaceTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task Live_and_ready_answer_healthy_once_the_database_and_schema_are_there()
    {
        using var live = await App.Anonymous.GetAsync("/health/live", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var ready = await App.Anonymous.GetJsonAsync("/health/ready");
        Assert.Equal("Healthy", ready.Text("status"));
        foreach (var check in new[] { "database", "bus", "publisher" })
        {
            Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty(check).Text("status"));
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint_of_the_contract_and_the_key_writes_need()
    {
        var document = await App.Anonymous.GetJsonAsync("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        foreach (var path in new[]
        {
            "/api/policies", "/api/policies/{id}", "/api/policies/{id}/timeline", "/api/policies/{id}/history", "/api/changes", "/api/changes/stream",
            "/api/policies/{id}/amendments", "/api/policies/{id}/suspensions", "/api/policies/{id}/reinstatements",
            "/api/policies/{id}/rescissions", "/api/policies/{id}/supersessions", "/api/policies/{id}/extensions", "/api/policies/{id}/corrections",
        })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"the OpenAPI document lacks {path}");
        }

        var issue = paths.GetProperty("/api/policies").GetProperty("post");
        Assert.True(issue.GetProperty("responses").TryGetProperty("422", out _));
        Assert.Equal("ApiKey", issue.GetProperty("security")[0].EnumerateObject().Single().Name);
        Assert.False(paths.GetProperty("/api/policies").GetProperty("get").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task The_api_reference_page_is_served_by_the_service_itself()
    {
        using var page = await App.Anonymous.GetAsync("/docs/", TestContext.Current.CancellationToken);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);

        using var script = await App.Anonymous.GetAsync("/docs/scalar.js", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }
}
