namespace Timeline.Api.Auth;

/// <summary>
/// <c>Timeline:Auth:Jwt</c>: bearer tokens from an organisation's identity provider, as an alternative to API keys.
/// Either <see cref="Authority"/> (keys and issuer from its OpenID Connect metadata) or a key given here.
/// </summary>
public sealed class JwtOptions
{
    public const string Section = "Timeline:Auth:Jwt";

    /// <summary>The issuer's base URL; its <c>/.well-known/openid-configuration</c> gives the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience every token must name (required once JWT is on).</summary>
    public string? Audience { get; set; }

    /// <summary>The issuer tokens must name; with <see cref="Authority"/> the metadata's issuer is used when unset.</summary>
    public string? Issuer { get; set; }

    /// <summary>An HMAC (HS256) key of at least 32 bytes (UTF-8), for tests and single-party setups.</summary>
    public string? SigningKey { get; set; }

    /// <summary>An RSA or EC public key in PEM, for an issuer whose metadata Timeline cannot reach.</summary>
    public string? PublicKeyPem { get; set; }

    /// <summary>Whether metadata must come over HTTPS (default true; turn off only for a local issuer).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey) || !string.IsNullOrWhiteSpace(PublicKeyPem);
}
