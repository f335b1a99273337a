using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Timeline.Domain.Policies;

/// <summary>
/// Minified JSON with object members ordered by name (ordinal) and numbers as written, so that
/// two equal values have one text whatever order their members arrived in.
/// </summary>
public static class CanonicalJson
{
    /// <summary>
    /// The canonical text of a provision value as the store keeps it: numbers in plain decimal notation
    /// with their scale (PostgreSQL's jsonb rewrites 1e26 as 100000000000000000000000000), members
    /// ordered, a member name used twice refused.
    /// </summary>
    /// <exception cref="JsonException">A number beyond ±7.9e28 or a duplicate member name.</exception>
    public static string Normalize(JsonElement element)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Normalize(element, writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// <see cref="Normalize(JsonElement)"/> of the number, string, true or false the reader stands on, without building a
    /// document for it (every provision value of every state read back passes here); null when the token is anything else.
    /// </summary>
    /// <exception cref="JsonException">A number beyond ±7.9e28.</exception>
    public static string? NormalizeScalar(ref Utf8JsonReader reader)
    {
        var buffer = _scalarBuffer ??= new ArrayBufferWriter<byte>(64);
        var writer = _scalarWriter ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                writer.WriteNumberValue(reader.TryGetDecimal(out var number)
                    ? number
                    : throw new JsonException($"The number {Encoding.UTF8.GetString(reader.ValueSpan)} is out of range: provisions hold numbers up to ±7.9e28."));
                break;
            case JsonTokenType.String:
                writer.WriteStringValue(reader.GetString());
                break;
            case JsonTokenType.True or JsonTokenType.False:
                writer.WriteBooleanValue(reader.GetBoolean());
                break;
            default:
                return null;
        }

        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // One writer per thread for scalars: a value's text is copied out before the next one is written.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _scalarBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _scalarWriter;

    private static void Normalize(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = element.EnumerateObject().ToList();
                var duplicate = members.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
                if (duplicate is not null)
                {
                    throw new JsonException($"The member '{duplicate.Key}' appears twice in one object.");
                }

                writer.WriteStartObject();
                foreach (var property in members.OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Normalize(property.Value, writer);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Normalize(item, writer);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Number:
                writer.WriteNumberValue(element.TryGetDecimal(out var number)
                    ? number
                    : throw new JsonException($"The number {element.GetRawText()} is out of range: provisions hold numbers up to ±7.9e28."));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    public static string Write(JsonElement element)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(element, writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(property.Value, writer);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(item, writer);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
