using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Timeline.Api.Audit;

/// <summary>Who recorded an event and why: the metadata the chain covers.</summary>
public sealed record AuditMetadata(string? RecordedBy, string? CorrelationId, string? CausationId);

/// <summary>
/// One event of the log as the audit chain sees it, and its hash:
/// <c>SHA-256(canonical JSON of [previousHash, sequence, streamId, type, effectiveAt, recordedAt, data, metadata])</c>
/// in lower-case hex (docs/audit.md). <see cref="RecordedAt"/> and <see cref="EffectiveAt"/> are the exact
/// strings of the audit log, so an outside verifier hashes what it reads.
/// </summary>
public sealed record AuditEntry(
    long Sequence,
    Guid EventId,
    string StreamId,
    string Type,
    string? EffectiveAt,
    string RecordedAt,
    JsonElement Data,
    AuditMetadata Metadata)
{
    /// <summary>The previous hash of the first event of the log.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>Record times in the log always carry six fractional digits.</summary>
    public static string FormatRecordedAt(DateTimeOffset recordedAt) =>
        recordedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static AuditEntry From(long sequence, Guid eventId, string streamId, string type, DateTimeOffset recordedAt, string dataJson, AuditMetadata metadata)
    {
        using var document = JsonDocument.Parse(dataJson);
        var data = document.RootElement.Clone();
        var effectiveAt = data.TryGetProperty("effectiveAt", out var effective) && effective.ValueKind == JsonValueKind.String ? effective.GetString() : null;
        return new AuditEntry(sequence, eventId, streamId, type, effectiveAt, FormatRecordedAt(recordedAt), data, metadata);
    }

    public string HashAfter(string previousHash)
    {
        var text = new StringBuilder(512);
        text.Append('[');
        AuditJson.WriteString(text, previousHash);
        text.Append(',').Append(Sequence.ToString(CultureInfo.InvariantCulture)).Append(',');
        AuditJson.WriteString(text, StreamId);
        text.Append(',');
        AuditJson.WriteString(text, Type);
        text.Append(',');
        AuditJson.WriteString(text, EffectiveAt);
        text.Append(',');
        AuditJson.WriteString(text, RecordedAt);
        text.Append(',');
        AuditJson.Write(text, Data);
        text.Append(",{\"causationId\":");
        AuditJson.WriteString(text, Metadata.CausationId);
        text.Append(",\"correlationId\":");
        AuditJson.WriteString(text, Metadata.CorrelationId);
        text.Append(",\"recordedBy\":");
        AuditJson.WriteString(text, Metadata.RecordedBy);
        text.Append("}]");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
