using System.Text.Json;

namespace Timeline.Api.Audit;

/// <summary>One line of the audit log (docs/audit.md): the event with both clocks, its metadata, and its place in the chain.</summary>
public static class AuditLine
{
    public static void Write(Utf8JsonWriter writer, StoredEvent stored)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(stored);
        writer.WriteStartObject();
        writer.WriteNumber("sequence", stored.Sequence);
        writer.WriteString("eventId", stored.EventId);
        writer.WriteString("streamId", stored.StreamId);
        writer.WriteString("type", stored.Type);
        writer.WriteString("effectiveAt", stored.EffectiveAt);
        writer.WriteString("recordedAt", AuditEntry.FormatRecordedAt(stored.RecordedAt));
        writer.WritePropertyName("data");
        // The data exactly as PostgreSQL gives it: no parse, no re-serialisation on the way out.
        writer.WriteRawValue(stored.DataJson, skipInputValidation: true);
        writer.WriteStartObject("metadata");
        writer.WriteString("causationId", stored.Metadata.CausationId);
        writer.WriteString("correlationId", stored.Metadata.CorrelationId);
        writer.WriteString("recordedBy", stored.Metadata.RecordedBy);
        writer.WriteEndObject();
        writer.WriteString("previousHash", stored.PreviousHash);
        writer.WriteString("hash", stored.Hash);
        writer.WriteEndObject();
    }
}
