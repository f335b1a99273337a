using System.Security.Cryptography;
using System.Text;

namespace Timeline.Api.Audit;

/// <summary>
/// A signed statement that the chain's hash at <see cref="Sequence"/> was <see cref="HeadHash"/> at
/// <see cref="SignedAt"/> (RFC 3339, six fractional digits, exactly as signed).
/// </summary>
public sealed record AuditCheckpoint(long Sequence, string HeadHash, string SignedAt, string Algorithm, string Signature, string PublicKey)
{
    /// <summary>What is signed: the canonical JSON of the three facts, UTF-8.</summary>
    public static string Payload(long sequence, string headHash, string signedAt)
    {
        var text = new StringBuilder();
        text.Append("{\"headHash\":");
        AuditJson.WriteString(text, headHash);
        text.Append(",\"sequence\":").Append(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        text.Append(",\"signedAt\":");
        AuditJson.WriteString(text, signedAt);
        text.Append('}');
        return text.ToString();
    }
}

/// <summary>
/// Signs checkpoints with an ECDSA P-256 key held in a PEM file outside the database
/// (<c>Timeline:Audit:SigningKeyFile</c>), so that whoever can rewrite the database cannot re-sign it.
/// Signatures are ES256: SHA-256, the 64-byte r||s form, base64.
/// </summary>
public sealed class CheckpointSigner : IDisposable
{
    public const string Algorithm = "ES256";
    public const string KeyFileSetting = "Timeline:Audit:SigningKeyFile";

    private readonly ECDsa? _key;

    public CheckpointSigner(string? keyFile, bool createIfMissing, ILogger<CheckpointSigner> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        if (keyFile is null)
        {
            return;
        }

        _key = ECDsa.Create();
        if (File.Exists(keyFile))
        {
            _key.ImportFromPem(File.ReadAllText(keyFile));
            return;
        }

        if (!createIfMissing)
        {
            throw new InvalidOperationException($"{KeyFileSetting} names '{keyFile}', which does not exist.");
        }

        _key.GenerateKey(ECCurve.NamedCurves.nistP256);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
        File.WriteAllText(keyFile, _key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        logger.LogWarning("Generated an audit signing key for this local store in {File}; keep a copy of its public key with your checkpoints", keyFile);
    }

    public bool CanSign => _key is not null;

    public string PublicKeyPem => _key?.ExportSubjectPublicKeyInfoPem() ?? string.Empty;

    public AuditCheckpoint Sign(long sequence, string headHash, DateTimeOffset signedAt)
    {
        var key = _key ?? throw new InvalidOperationException($"No signing key: set {KeyFileSetting} to a PEM file with an ECDSA P-256 private key.");
        var signed = AuditEntry.FormatRecordedAt(signedAt);
        var signature = key.SignData(Encoding.UTF8.GetBytes(AuditCheckpoint.Payload(sequence, headHash, signed)), HashAlgorithmName.SHA256);
        return new AuditCheckpoint(sequence, headHash, signed, Algorithm, Convert.ToBase64String(signature), PublicKeyPem);
    }

    /// <summary>Whether the checkpoint was signed by this service's key (not by the key the checkpoint itself names).</summary>
    public bool IsSignedByUs(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (_key is null || checkpoint.Algorithm != Algorithm)
        {
            return false;
        }

        Span<byte> signature = stackalloc byte[64];
        return Convert.TryFromBase64String(checkpoint.Signature, signature, out var length) && length == 64 &&
            _key.VerifyData(Encoding.UTF8.GetBytes(AuditCheckpoint.Payload(checkpoint.Sequence, checkpoint.HeadHash, checkpoint.SignedAt)), signature, HashAlgorithmName.SHA256);
    }

    public void Dispose() => _key?.Dispose();
}
