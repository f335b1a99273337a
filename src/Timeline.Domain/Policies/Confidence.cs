using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Timeline.Domain.Policies;

/// <summary>How well a fact is sourced. Written in JSON as kebab case: <c>verified</c>.</summary>
public enum ConfidenceLevel
{
    /// <summary>Read in an official text or record (the Federal Register, an agency release, a GAO decision).</summary>
    Verified,

    /// <summary>From secondary sources: law-firm alerts, news, trackers.</summary>
    Secondary,

    /// <summary>Recalled or inferred, confirmed by no source read: treat it as unknown.</summary>
    Unverified,
}

/// <summary>
/// How sure the record is of an event's facts: one <see cref="Level"/> for the event as a whole, and
/// <see cref="Fields"/> for the fields that are sourced otherwise, named as in the event's data
/// (<c>publishedOn</c>, <c>effectiveAt</c>, <c>provisions.h1b.new-petition-payment-usd</c>). In an
/// instrument's state the same shape describes the fields the state holds (see <see cref="After"/>).
/// </summary>
[JsonConverter(typeof(ConfidenceJsonConverter))]
public sealed class Confidence : IEquatable<Confidence>
{
    private static readonly ImmutableSortedDictionary<string, ConfidenceLevel> NoFields =
        ImmutableSortedDictionary.Create<string, ConfidenceLevel>(StringComparer.Ordinal);

    public Confidence(ConfidenceLevel? level, IEnumerable<KeyValuePair<string, ConfidenceLevel>>? fields = null)
    {
        Level = level;
        Fields = fields is null ? NoFields : ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, fields);
    }

    /// <summary>The level of every fact of the event that <see cref="Fields"/> does not name; null when not stated.</summary>
    public ConfidenceLevel? Level { get; }

    public IReadOnlyDictionary<string, ConfidenceLevel> Fields { get; }

    /// <summary>
    /// The level of one field: its own entry, else the entry of the field that holds it
    /// (<c>set</c> for <c>set.some-key</c>), else <see cref="Level"/>.
    /// </summary>
    public ConfidenceLevel? Of(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (Fields.TryGetValue(field, out var level))
        {
            return level;
        }

        var dot = field.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && Fields.TryGetValue(field[..dot], out var parent) ? parent : Level;
    }

    /// <summary>
    /// The confidence of an instrument's state after one more effective event: the fields that event
    /// changed take the level it states for them (provisions an amendment sets are
    /// <c>provisions.&lt;key&gt;</c>; a change of status is <c>status</c>; a new expiry <c>expiresAt</c>).
    /// A field at the state's own level is not listed. An event that states no confidence makes no
    /// claim: the fields it changes fall back to the state's level.
    /// </summary>
    public static Confidence? After(Confidence? current, IEffectiveEvent effective)
    {
        ArgumentNullException.ThrowIfNull(effective);
        if (current is null && effective.Confidence is null)
        {
            return null; // nothing known and nothing stated: the common case, and a fold applies it at every event
        }

        var level = current?.Level;
        var fields = (current?.Fields ?? NoFields).ToDictionary(StringComparer.Ordinal);
        var stated = effective.Confidence;

        void Record(string field, ConfidenceLevel? value)
        {
            if (value is null || value == level)
            {
                fields.Remove(field);
            }
            else
            {
                fields[field] = value.Value;
            }
        }

        switch (effective)
        {
            case PolicyIssued:
                return current;
            case PolicyAmended amended:
                foreach (var key in amended.Set.Keys)
                {
                    Record("provisions." + key, stated?.Of("set." + key));
                }

                foreach (var key in amended.Remove)
                {
                    fields.Remove("provisions." + key);
                }

                break;
            case PolicyExtended:
                Record("expiresAt", stated?.Of("expiresAt"));
                break;
            default:
                Record("status", stated?.Level);
                break;
        }

        return level is null && fields.Count == 0 ? null : new Confidence(level, fields);
    }

    /// <summary>The confidence of an event written because of this one (a rescission its issue caused): the level of the relation's field.</summary>
    public Confidence? ForRelation(string field)
    {
        var level = Of(field);
        return level is null ? null : new Confidence(level);
    }

    public bool Equals(Confidence? other) =>
        other is not null && Level == other.Level && Fields.Count == other.Fields.Count &&
        Fields.All(field => other.Fields.TryGetValue(field.Key, out var level) && level == field.Value);

    public override bool Equals(object? obj) => Equals(obj as Confidence);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(Level);
        foreach (var (field, level) in Fields)
        {
            hash.Add(field, StringComparer.Ordinal);
            hash.Add(level);
        }

        return hash.ToHashCode();
    }

    public override string ToString() =>
        $"{Name(Level)} {{{string.Join(", ", Fields.Select(field => $"{field.Key}: {Name(field.Value)}"))}}}";

    public static string Name(ConfidenceLevel? level) =>
        level is null ? "unstated" : JsonNamingPolicy.KebabCaseLower.ConvertName(level.Value.ToString());

    private static ConfidenceLevel ReadLevel(ref Utf8JsonReader reader)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        foreach (var level in Enum.GetValues<ConfidenceLevel>())
        {
            if (string.Equals(Name(level), text, StringComparison.Ordinal))
            {
                return level;
            }
        }

        throw new JsonException("A confidence level is one of \"verified\", \"secondary\" or \"unverified\".");
    }

    private sealed class ConfidenceJsonConverter : JsonConverter<Confidence>
    {
        public override Confidence Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("A confidence is an object: {\"level\": \"verified\", \"fields\": {\"publishedOn\": \"unverified\"}}.");
            }

            ConfidenceLevel? level = null;
            var fields = new Dictionary<string, ConfidenceLevel>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "level" when reader.TokenType != JsonTokenType.Null:
                        level = ReadLevel(ref reader);
                        break;
                    case "level":
                        break;
                    case "fields" when reader.TokenType == JsonTokenType.Null:
                        break;
                    case "fields" when reader.TokenType == JsonTokenType.StartObject:
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                        {
                            var field = reader.GetString()!;
                            reader.Read();
                            if (!fields.TryAdd(field, ReadLevel(ref reader)))
                            {
                                throw new JsonException($"The confidence of '{field}' is given twice.");
                            }
                        }

                        break;
                    default:
                        throw new JsonException($"A confidence has a 'level' and 'fields', not '{name}'.");
                }
            }

            return new Confidence(level, fields);
        }

        public override void Write(Utf8JsonWriter writer, Confidence value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            if (value.Level is { } level)
            {
                writer.WriteString("level", Name(level));
            }

            if (value.Fields.Count > 0)
            {
                writer.WriteStartObject("fields");
                foreach (var (field, fieldLevel) in value.Fields)
                {
                    writer.WriteString(field, Name(fieldLevel));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }
    }
}
