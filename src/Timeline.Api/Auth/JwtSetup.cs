using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Timeline.Api.Http;

namespace Timeline.Api.Auth;

/// <summary>
/// JWT bearer tokens: validated for issuer, audience, lifetime and signature; the token's <c>name</c> (else
/// <c>preferred_username</c>, else <c>sub</c>) becomes the caller's name and the recordedBy of its writes.
/// </summary>
internal static class JwtSetup
{
    public static AuthenticationBuilder AddTimelineJwt(this AuthenticationBuilder authentication, JwtOptions jwt)
    {
        if (string.IsNullOrWhiteSpace(jwt.Audience))
        {
            throw new InvalidOperationException($"{JwtOptions.Section}:Audience is required: tokens for other audiences must not write here.");
        }

        authentication.AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            options.MapInboundClaims = false; // keep sub, scope and scp as the issuer wrote them
            options.Authority = string.IsNullOrWhiteSpace(jwt.Authority) ? null : jwt.Authority;
            options.Audience = jwt.Audience;
            options.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = !string.IsNullOrWhiteSpace(jwt.Issuer) || !string.IsNullOrWhiteSpace(jwt.Authority),
                ValidIssuer = string.IsNullOrWhiteSpace(jwt.Issuer) ? null : jwt.Issuer,
                ValidateAudience = true,
                ValidAudience = jwt.Audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ClockSkew = TimeSpan.FromMinutes(1),
                IssuerSigningKey = SigningKey(jwt),
            };
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    var principal = context.Principal!;
                    var name = principal.FindFirstValue("name") ?? principal.FindFirstValue("preferred_username") ?? principal.FindFirstValue("sub");
                    if (string.IsNullOrWhiteSpace(name))
                    {
                        context.Fail("The token names no caller (name, preferred_username or sub).");
                        return Task.CompletedTask;
                    }

                    ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(ClaimTypes.Name, name));
                    return Task.CompletedTask;
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                    await problems.WriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = context.HttpContext,
                        ProblemDetails =
                        {
                            Status = StatusCodes.Status401Unauthorized,
                            Type = Problems.TypeFor(StatusCodes.Status401Unauthorized),
                            Title = "The bearer token is not valid",
                            Detail = "The token must be signed by the configured issuer, name this service's audience, and be unexpired.",
                        },
                    });
                },
            };
        });

        // After the options above, which replace the validation parameters: token lifetimes are checked on the service's one clock.
        authentication.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TimeProvider>((options, clock) => options.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, parameters) =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                return expires is { } expiry && expiry.ToUniversalTime() + parameters.ClockSkew >= now
                    && (notBefore is not { } start || start.ToUniversalTime() - parameters.ClockSkew <= now);
            });
        return authentication;
    }

    private static SecurityKey? SigningKey(JwtOptions jwt)
    {
        if (!string.IsNullOrWhiteSpace(jwt.SigningKey))
        {
            var bytes = Encoding.UTF8.GetBytes(jwt.SigningKey);
            return bytes.Length >= 32
                ? new SymmetricSecurityKey(bytes)
                : throw new InvalidOperationException($"{JwtOptions.Section}:SigningKey must be at least 32 bytes.");
        }

        if (!string.IsNullOrWhiteSpace(jwt.PublicKeyPem))
        {
            if (TryEc(jwt.PublicKeyPem) is { } ec)
            {
                return new ECDsaSecurityKey(ec);
            }

            var rsa = RSA.Create();
            rsa.ImportFromPem(jwt.PublicKeyPem);
            return new RsaSecurityKey(rsa);
        }

        return null; // from the authority's metadata
    }

    private static ECDsa? TryEc(string pem)
    {
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return ec;
        }
        catch (CryptographicException)
        {
            ec.Dispose();
            return null;
        }
    }
}
