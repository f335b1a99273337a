using System.Text.Json;
using System.Text.Json.Serialization;
using Timeline.Domain.Time;

namespace Timeline.Domain.Policies;

/// <summary>
/// The JSON form of events and states: camelCase names, kebab-case enum values, instants in UTC
/// with a Z. The event store, corrections and the HTTP API all use it, so a field a client corrects
/// is named as it is stored.
/// </summary>
public static class PolicyJson
{
    /// <summary>
    /// The domain's own options, strict on reading: a required field that is missing or null (as a correction
    /// could leave it) is an error, not a default. Read-only and complete from the start, so type metadata is
    /// available before anything has been serialized.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateStrict();

    private static JsonSerializerOptions CreateStrict()
    {
        var options = Configure(new JsonSerializerOptions());
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver();
        options.MakeReadOnly();
        return options;
    }

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.Converters.Add(new InstantJsonConverter());
        return options;
    }

    private sealed class InstantJsonConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException("An instant must be a string, e.g. \"2025-01-20T17:00:00Z\".");
            }

            if (!TimeInput.TryParse(reader.GetString(), out var input, out var error))
            {
                throw new JsonException(error);
            }

            return input is TimeInput.ExactInstant exact
                ? exact.Value
                : throw new JsonException("An instant needs a time and an offset, e.g. 2025-01-20T17:00:00Z.");
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        {
            Span<byte> utf8 = stackalloc byte[Instants.MaxFormattedLength];
            writer.WriteStringValue(utf8[..Instants.FormatUtf8(value, utf8)]);
        }
    }
}
