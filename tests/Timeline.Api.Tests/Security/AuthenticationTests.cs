using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Timeline.Api.Auth;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Security;

/// <summary>The service with JWT bearer tokens beside API keys, one key given only by its SHA-256, and reads open.</summary>
public sealed class JwtApp(PostgresServer postgres) : TimelineApp(postgres)
{
    public const string HashedKey = "hashed-key-9f3c2a";
    public const string HashedKeyName = "hashed-analyst";

    protected override void Configure(IWebHostBuilder host)
    {
        ArgumentNullException.ThrowIfNull(host);
        foreach (var (key, value) in Tokens.Settings)
        {
            host.UseSetting(key, value);
        }

        host.UseSetting("Timeline:ApiKeys:1:Name", HashedKeyName);
        host.UseSetting("Timeline:ApiKeys:1:Sha256", Convert.ToHexStringLower(ApiKeyRing.Hash(HashedKey)));
    }
}

/// <summary>
/// Who may write: a configured API key (held as its hash), or a bearer token with the timeline:write scope whose
/// name or subject becomes recordedBy; anything else is a 401 or 403 problem and writes nothing.
/// </summary>
public sealed class AuthenticationTests(JwtApp app) : IClassFixture<JwtApp>
{
    private readonly JwtApp _app = Require(app);

    [Fact]
    public async Task A_token_with_the_write_scope_writes_and_its_subject_or_name_is_recorded_as_recordedBy()
    {
        using var bySubject = await WriteAsync(Tokens.Create(Now, subject: "svc-42"), "jwt-sub");
        Assert.Equal(HttpStatusCode.Created, bySubject.StatusCode);
        using var byName = await WriteAsync(Tokens.Create(Now, subject: "u-1", name: "Ada Analyst", scope: "timeline:read timeline:write", scopeClaim: "scp"), "jwt-name");
        Assert.Equal(HttpStatusCode.Created, byName.StatusCode);

        Assert.Equal("svc-42", await RecordedByAsync("jwt-sub"));
        Assert.Equal("Ada Analyst", await RecordedByAsync("jwt-name"));
    }

    [Fact]
    public async Task A_key_configured_only_by_its_hash_writes_under_its_name()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/policies") { Content = JsonContent.Create(Issue("hashed-key-write", "2024-01-01"), options: TimelineApp.Json) };
        request.Headers.Add("X-Api-Key", JwtApp.HashedKey);
        using var response = await _app.Anonymous.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(JwtApp.HashedKeyName, await RecordedByAsync("hashed-key-write"));
    }

    [Fact]
    public async Task Tokens_that_are_expired_for_another_audience_signed_by_another_key_or_unsigned_are_401_problems()
    {
        var before = await _app.CountAsync();
        string[] refused =
        [
            Tokens.Create(Now, expires: Now.UtcDateTime.AddMinutes(-5)),
            Tokens.Create(Now, audience: "another-api"),
            Tokens.Create(Now, key: "another-signing-key-of-at-least-32-bytes-xyz"),
            Unsigned(Tokens.Create(Now)),
            "not.a.token",
        ];
        foreach (var token in refused)
        {
            using var response = await WriteAsync(token, "jwt-refused");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await _app.CountAsync());
    }

    [Fact]
    public async Task A_valid_token_without_the_write_scope_is_403_and_writes_nothing()
    {
        var before = await _app.CountAsync();
        foreach (var scope in new[] { null, "timeline:read", "timeline:writer other" })
        {
            using var response = await WriteAsync(Tokens.Create(Now, scope: scope), "jwt-no-scope");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(before, await _app.CountAsync());
    }

    [Fact]
    public async Task The_openapi_document_offers_the_bearer_scheme_with_the_write_scope_beside_the_key()
    {
        var document = await _app.Anonymous.GetJsonAsync("/openapi/v1.json");
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").Text("scheme"));
        var security = document.GetProperty("paths").GetProperty("/api/policies").GetProperty("post").GetProperty("security");
        var bearer = security.EnumerateArray().Single(requirement => requirement.TryGetProperty("Bearer", out _));
        Assert.Equal(Callers.WriteScope, bearer.GetProperty("Bearer")[0].GetString());
    }

    [Fact]
    public async Task Reads_stay_open_by_default()
    {
        using var response = await _app.Anonymous.GetAsync("/api/policies", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>alg=none: the header says so and the signature is dropped.</summary>
    private static string Unsigned(string token)
    {
        var parts = token.Split('.');
        var header = Convert.ToBase64String("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{header}.{parts[1]}.";
    }

    private async Task<HttpResponseMessage> WriteAsync(string token, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/policies") { Content = JsonContent.Create(Issue(id, "2024-01-01"), options: TimelineApp.Json) };
        return await _app.Anonymous.SendAsync(request.Bearer(token), TestContext.Current.CancellationToken);
    }

    private async Task<string> RecordedByAsync(string id)
    {
        var history = await _app.Anonymous.GetJsonAsync($"/api/policies/{id}/history");
        return history.GetProperty("events")[0].Text("recordedBy");
    }

    private DateTimeOffset Now => _app.Clock.GetUtcNow();

    private static JwtApp Require(JwtApp app)
    {
        app.RequirePostgres();
        return app;
    }
}

/// <summary>The service with <c>Timeline:Auth:RequireReadAuthentication</c> on.</summary>
public sealed class ClosedReadsApp(PostgresServer postgres) : TimelineApp(postgres)
{
    protected override void Configure(IWebHostBuilder host)
    {
        ArgumentNullException.ThrowIfNull(host);
        foreach (var (key, value) in Tokens.Settings)
        {
            host.UseSetting(key, value);
        }

        host.UseSetting(AuthSetup.RequireReadAuthenticationKey, "true");
    }
}

/// <summary>With reads closed, every read needs some valid key or token (a token without the write scope will do); health and the API description stay open.</summary>
public sealed class ClosedReadsTests(ClosedReadsApp app) : IClassFixture<ClosedReadsApp>
{
    private static readonly string[] Reads = ["/api/policies", "/api/policies/any-id", "/api/changes", "/api/audit/verify", "/api/audit/log", "/api/diff?from=2024-01-01&to=2024-02-01"];

    [Fact]
    public async Task Reads_without_credentials_are_401_problems_and_any_valid_key_or_token_opens_them()
    {
        app.RequirePostgres();
        foreach (var path in Reads)
        {
            using var anonymous = await app.Anonymous.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"{path} without credentials answered {(int)anonymous.StatusCode}");
            Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);

            using var withKey = await app.Writer.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.True(withKey.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{path} with a key answered {(int)withKey.StatusCode}");

            using var request = new HttpRequestMessage(HttpMethod.Get, path).Bearer(Tokens.Create(app.Clock.GetUtcNow(), scope: "timeline:read"));
            using var withToken = await app.Anonymous.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.True(withToken.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{path} with a read-only token answered {(int)withToken.StatusCode}");
        }
    }

    [Fact]
    public async Task Health_and_the_api_description_stay_open_for_probes_and_readers_of_the_docs()
    {
        app.RequirePostgres();
        foreach (var path in new[] { "/health/live", "/health/ready", "/openapi/v1.json", "/docs/" })
        {
            using var response = await app.Anonymous.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
        }
    }
}
