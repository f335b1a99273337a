using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace Timeline.Api.Auth;

/// <summary>
/// Who may write: holders of a configured API key, or of a bearer token with the <c>timeline:write</c> scope.
/// Reads are open unless <c>Timeline:Auth:RequireReadAuthentication</c> asks for any valid key or token.
/// </summary>
public static class AuthSetup
{
    public const string WritePolicy = Callers.WriteScope;
    public const string RequireReadAuthenticationKey = "Timeline:Auth:RequireReadAuthentication";

    /// <summary>The default scheme: a bearer token goes to JWT validation (when configured), anything else to the API key.</summary>
    public const string SchemeName = "Timeline";
    public const string KeysSection = "Timeline:ApiKeys";
    public const string KeyEnvironmentVariable = "TIMELINE_API_KEY";

    /// <summary>
    /// Keys come from <c>Timeline:ApiKeys</c> and <c>TIMELINE_API_KEY</c>. With neither, the embedded
    /// default makes one, saves it to <paramref name="generatedKeyFile"/> and prints it, so the two-command
    /// start can write at once; elsewhere writes are refused until a key is configured.
    /// </summary>
    public static IHostApplicationBuilder AddTimelineAuth(this IHostApplicationBuilder builder, string? generatedKeyFile)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var entries = builder.Configuration.GetSection(KeysSection).Get<List<ApiKeyEntry>>() ?? [];
        if (builder.Configuration[KeyEnvironmentVariable] is { Length: > 0 } single)
        {
            entries.Add(new ApiKeyEntry { Name = "default", Key = single });
        }

        string? generated = null;
        if (entries.Count == 0 && generatedKeyFile is not null)
        {
            generated = LoadOrCreateKey(generatedKeyFile);
            entries.Add(new ApiKeyEntry { Name = "local", Key = generated });
        }

        var ring = new ApiKeyRing(entries);
        builder.Services.AddSingleton(ring);
        builder.Services.AddSingleton(new GeneratedKeyNotice(generated, generatedKeyFile));
        builder.Services.AddHostedService<KeyAnnouncer>();
        var jwt = builder.Configuration.GetSection(JwtOptions.Section).Get<JwtOptions>() ?? new JwtOptions();
        var authentication = builder.Services.AddAuthentication(SchemeName)
            .AddPolicyScheme(SchemeName, "API key or bearer token", options => options.ForwardDefaultSelector = context =>
                jwt.Enabled && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (jwt.Enabled)
        {
            authentication.AddTimelineJwt(jwt);
        }

        var requireReads = builder.Configuration.GetValue<bool>(RequireReadAuthenticationKey);
        var authorization = builder.Services.AddAuthorizationBuilder()
            .AddPolicy(WritePolicy, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => Callers.MayWrite(context.User)));
        if (requireReads)
        {
            // Every endpoint without a policy of its own (the reads) needs some valid key or token; health stays open.
            authorization.SetFallbackPolicy(new AuthorizationPolicyBuilder(SchemeName).RequireAuthenticatedUser().Build());
        }

        return builder;
    }

    private static string LoadOrCreateKey(string file)
    {
        if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } saved)
        {
            return saved;
        }

        var key = "tl_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        File.WriteAllText(file, key + Environment.NewLine);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key;
    }

    private sealed record GeneratedKeyNotice(string? Key, string? File);

    /// <summary>Says at start-up how writes are authorised: the generated key, or a warning that no key exists.</summary>
    private sealed class KeyAnnouncer(GeneratedKeyNotice notice, ApiKeyRing ring, ILogger<KeyAnnouncer> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (notice.Key is not null)
            {
                // Printed on purpose: this key was made for a local, single-user start and is saved beside the data.
                logger.LogWarning("Writes need X-Api-Key: {Key} (generated for this local store, saved in {File})", notice.Key, notice.File);
            }
            else if (ring.Count == 0)
            {
                logger.LogWarning("No API key is configured (Timeline:ApiKeys or {Variable}): every write will be refused", KeyEnvironmentVariable);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
