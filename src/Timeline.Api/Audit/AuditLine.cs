using System.Text.Json;

namespace Timeline.Api.Audit;

/// <summary>One line of the audit log (docs/audit.md): the event with both clocks, its metadata, and its place in the chain.</summary>
public static class AuditLine
{
    public static void Write(Utf8JsonWriter writer, AuditEntry entry, string? previousHash, string? hash)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(entry);
        writer.WriteStartObject();
        writer.WriteNumber("sequence", entry.Sequence);
        writer.WriteString("eventId", entry.EventId);
        writer.WriteString("streamId", entry.StreamId);
        writer.WriteString("type", entry.Type);
        writer.WriteString("effectiveAt", entry.EffectiveAt);
        writer.WriteString("recordedAt", entry.RecordedAt);
        writer.WritePropertyName("data");
        entry.Data.WriteTo(writer);
        writer.WriteStartObject("metadata");
        writer.WriteString("causationId", entry.Metadata.CausationId);
        writer.WriteString("correlationId", entry.Metadata.CorrelationId);
        writer.WriteString("recordedBy", entry.Metadata.RecordedBy);
        writer.WriteEndObject();
        writer.WriteString("previousHash", previousHash);
        writer.WriteString("hash", hash);
        writer.WriteEndObject();
    }
}
