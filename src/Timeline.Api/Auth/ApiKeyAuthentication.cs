using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Timeline.Api.Http;

namespace Timeline.Api.Auth;

/// <summary>Authenticates <c>X-Api-Key</c>; the key's name becomes the caller's name and the recordedBy of its writes.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRing keys,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var presented) || presented.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var name = presented.Count == 1 ? keys.NameOf(presented[0] ?? string.Empty) : null;
        if (name is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        // Every configured key may write: the scope says so in the same terms as a token's.
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim("scope", Callers.WriteScope)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        var presented = Request.Headers.ContainsKey(HeaderName) || Request.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.Authorization);
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Type = Problems.TypeFor(StatusCodes.Status401Unauthorized),
                Title = presented ? "The credentials are not valid" : "Credentials are required",
                Detail = $"This request needs a valid key in the {HeaderName} header, or a bearer token where the service accepts them.",
            },
        });
    }
}
