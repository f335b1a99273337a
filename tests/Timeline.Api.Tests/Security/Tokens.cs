using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Timeline.Api.Tests.Security;

/// <summary>Bearer tokens signed as the configured test issuer would sign them (HS256), or not quite.</summary>
internal static class Tokens
{
    public const string Issuer = "https://issuer.test";
    public const string Audience = "timeline-api";
    public const string SigningKey = "test-signing-key-of-at-least-32-bytes-0123456789";

    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Timeline:Auth:Jwt:Issuer"] = Issuer,
        ["Timeline:Auth:Jwt:Audience"] = Audience,
        ["Timeline:Auth:Jwt:SigningKey"] = SigningKey,
    };

    /// <summary>A token valid for ten minutes from <paramref name="now"/> (the service's clock), or expired when <paramref name="expires"/> is past.</summary>
    public static string Create(
        DateTimeOffset now,
        string? subject = "svc-42",
        string? name = null,
        string? scope = "timeline:write",
        string audience = Audience,
        string key = SigningKey,
        DateTime? expires = null,
        string scopeClaim = "scope")
    {
        var claims = new Dictionary<string, object>();
        if (subject is not null)
        {
            claims["sub"] = subject;
        }

        if (name is not null)
        {
            claims["name"] = name;
        }

        if (scope is not null)
        {
            claims[scopeClaim] = scope;
        }

        var issued = now.UtcDateTime;
        var expiry = expires ?? issued.AddMinutes(10);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            NotBefore = expiry < issued ? expiry.AddMinutes(-10) : issued.AddMinutes(-1),
            IssuedAt = expiry < issued ? expiry.AddMinutes(-10) : issued.AddMinutes(-1),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }

    public static HttpRequestMessage Bearer(this HttpRequestMessage request, string token)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
