using System.Text.Encodings.Web;
using System.Text.Json;
using Timeline.Domain.Policies;

namespace Timeline.Domain.Tests.Serialization;

/// <summary>
/// Provision values are written from their canonical text where it can be copied as it is; whatever the writer's
/// options, the output must be what writing the parsed value gives, and read back equal.
/// </summary>
public sealed class ProvisionJsonTests
{
    private static readonly string[] Values =
    [
        "92280", "1.50", "-0.001", "1e26", "\"plain\"", "\"Zürich\"", "\"a+b <c> & 'd'\"", "\"line\\nbreak\"", "true",
        "[1, \"two\", {\"b\": 2, \"a\": 1}]", "{\"z\": {\"y\": [\"é\"]}, \"a\": null}",
    ];

    private static readonly Dictionary<string, JsonSerializerOptions> Writers = new()
    {
        ["default"] = PolicyJson.Options,
        ["relaxed"] = new(PolicyJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping },
        ["indented"] = new(PolicyJson.Options) { WriteIndented = true },
    };

    public static TheoryData<string> Encoders() => [.. Writers.Keys];

    [Theory]
    [MemberData(nameof(Encoders))]
    public void Written_provisions_are_what_writing_each_parsed_value_gives(string writerKind)
    {
        var provisions = Provisions.From(Values.Select((value, i) =>
            KeyValuePair.Create($"clause-{i}", ProvisionValue.From(JsonDocument.Parse(value).RootElement))));
        var options = Writers[writerKind];

        using var expected = new MemoryStream();
        using (var writer = new Utf8JsonWriter(expected, new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented }))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in provisions)
            {
                writer.WritePropertyName(key);
                value.Json.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        var written = JsonSerializer.Serialize(provisions, options);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(expected.ToArray()), written);
        Assert.Equal(provisions, JsonSerializer.Deserialize<Provisions>(written, PolicyJson.Options));
    }

    [Fact]
    public void A_value_read_from_text_has_the_canonical_text_of_the_same_value_parsed_as_a_document()
    {
        // Scalars are read without a document; the text must be the one the document path gives, or equality breaks.
        string[] more = ["1.0", "-0", "0.10", "79228162514264337593543950335", "12345678901234567890.5", "\"\\u00e9\\\"q\\\"\"", "\"\"", "false"];
        foreach (var value in Values.Concat(more))
        {
            var read = JsonSerializer.Deserialize<Provisions>($"{{\"k\": {value}}}", PolicyJson.Options)!["k"];
            var parsed = ProvisionValue.From(JsonDocument.Parse(value).RootElement);
            Assert.Equal(parsed.ToString(), read.ToString());
            Assert.Equal(parsed, read);
        }
    }

    [Fact]
    public void A_number_beyond_the_decimal_range_is_refused_when_read_as_when_parsed()
    {
        const string tooLarge = "1e30";
        var parsed = Assert.Throws<JsonException>(() => ProvisionValue.From(JsonDocument.Parse(tooLarge).RootElement));
        var read = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Provisions>($"{{\"k\": {tooLarge}}}", PolicyJson.Options));
        Assert.Contains(parsed.Message, read.Message, StringComparison.Ordinal);
    }
}
