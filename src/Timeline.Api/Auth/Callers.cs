using System.Security.Claims;

namespace Timeline.Api.Auth;

/// <summary>What the service knows of an authenticated caller: its name (the recordedBy of its writes) and whether it may write.</summary>
public static class Callers
{
    /// <summary>The scope that grants writes, in a token's <c>scope</c> or <c>scp</c> claim (space-separated or repeated).</summary>
    public const string WriteScope = "timeline:write";

    public static readonly string[] ScopeClaims = ["scope", "scp"];

    public static bool MayWrite(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true && user.Claims
            .Where(claim => ScopeClaims.Contains(claim.Type, StringComparer.Ordinal))
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(WriteScope, StringComparer.Ordinal);
    }

    /// <summary>The caller's name, or null for an anonymous request.</summary>
    public static string? NameOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.Name) : null;
    }

    /// <summary>A rate-limiting partition per caller: the scheme keeps a key and a token subject of the same name apart.</summary>
    public static string PartitionOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return NameOf(user) is { } name ? $"{user.Identity!.AuthenticationType}:{name}" : "anonymous";
    }
}
