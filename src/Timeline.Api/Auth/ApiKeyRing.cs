using System.Security.Cryptography;
using System.Text;

namespace Timeline.Api.Auth;

/// <summary>
/// The keys that may write, held only as SHA-256 hashes and compared in constant time, so neither a
/// memory dump nor response timing gives a key away.
/// </summary>
public sealed class ApiKeyRing
{
    private readonly List<(string Name, byte[] Hash)> _keys;

    public ApiKeyRing(IEnumerable<ApiKeyEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _keys = [];
        foreach (var entry in entries)
        {
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                throw new InvalidOperationException("Every entry of Timeline:ApiKeys needs a Name: it becomes the recordedBy of its writes.");
            }

            var hash = entry.Sha256 is { Length: > 0 } hex
                ? Convert.FromHexString(hex)
                : entry.Key is { Length: > 0 } key
                    ? Hash(key)
                    : throw new InvalidOperationException($"API key '{entry.Name}' needs a Key or a Sha256.");
            _keys.Add((entry.Name, hash));
        }
    }

    public int Count => _keys.Count;

    /// <summary>The name of the key, or null when no key matches. Every configured key is compared, matched or not.</summary>
    public string? NameOf(string presented)
    {
        var hash = Hash(presented);
        string? name = null;
        foreach (var (keyName, keyHash) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, keyHash))
            {
                name ??= keyName;
            }
        }

        return name;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
