using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Timeline.Dataset.Requests;
using Timeline.Domain.Policies;

namespace Timeline.Dataset.Format;

/// <summary>
/// One write of the curated dataset: a stable id, the file it comes from, and the write itself. Its
/// <see cref="Marker"/> (the id with a fingerprint of the write) is the correlation id and the
/// idempotency key it is written with, so a load can tell which entries the store already holds.
/// </summary>
public sealed record DatasetEntry(string Id, string File, WriteRequest Write)
{
    public const string MarkerPrefix = "dataset/";

    /// <summary><c>dataset/&lt;id&gt;@&lt;fingerprint&gt;</c>: the same entry with another body gets another marker.</summary>
    public string Marker => $"{MarkerPrefix}{Id}@{Fingerprint}";

    /// <summary>The first 12 hex digits of the SHA-256 of the write, its instrument and its body in canonical JSON.</summary>
    public string Fingerprint
    {
        get
        {
            var body = CanonicalJson.Write(JsonSerializer.SerializeToElement(Write.Body));
            var text = $"{Write.KindName} {Write.PolicyId}\n{body}";
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
        }
    }

    /// <summary>The entry id and fingerprint a marker names, or null when it is not a dataset marker.</summary>
    public static (string Id, string Fingerprint)? ParseMarker(string? marker)
    {
        if (marker is null || !marker.StartsWith(MarkerPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var at = marker.LastIndexOf('@');
        return at <= MarkerPrefix.Length ? null : (marker[MarkerPrefix.Length..at], marker[(at + 1)..]);
    }
}
