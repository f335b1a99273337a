using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Timeline.Domain.Policies;

/// <summary>
/// The machine-checkable content of an instrument: stable keys mapped to typed JSON values,
/// e.g. <c>h1b.new-petition-payment-usd = 100000</c> or <c>license-required.destinations = ["CN","MO"]</c>.
/// Ordered by key and compared by value.
/// </summary>
[JsonConverter(typeof(ProvisionsJsonConverter))]
[SuppressMessage("Naming", "CA1710", Justification = "Provisions is the domain's word for this map.")]
public sealed class Provisions : IReadOnlyDictionary<string, ProvisionValue>, IEquatable<Provisions>
{
    private readonly ImmutableSortedDictionary<string, ProvisionValue> _items;

    private Provisions(ImmutableSortedDictionary<string, ProvisionValue> items) => _items = items;

    public static Provisions Empty { get; } = new(ImmutableSortedDictionary.Create<string, ProvisionValue>(StringComparer.Ordinal));

    public static Provisions From(IEnumerable<KeyValuePair<string, ProvisionValue>> items) =>
        new(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, items));

    /// <summary>The provisions after an amendment: <paramref name="set"/> replaces, <paramref name="remove"/> drops.</summary>
    public Provisions With(Provisions set, IEnumerable<string> remove) =>
        new(_items.SetItems(set._items).RemoveRange(remove));

    public ProvisionValue this[string key] => _items[key];

    public IEnumerable<string> Keys => _items.Keys;

    public IEnumerable<ProvisionValue> Values => _items.Values;

    public int Count => _items.Count;

    public bool ContainsKey(string key) => _items.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out ProvisionValue value) => _items.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, ProvisionValue>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(Provisions? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._items.Count != _items.Count)
        {
            return false;
        }

        // Both sorted by the same comparer: equal maps list equal pairs in the same order.
        using var theirs = other._items.GetEnumerator();
        foreach (var (key, value) in _items)
        {
            if (!theirs.MoveNext() || !string.Equals(key, theirs.Current.Key, StringComparison.Ordinal) || !value.Equals(theirs.Current.Value))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as Provisions);

    // Folds compare states often (merging segments, diffing timelines): the hash of an immutable map is kept.
    public override int GetHashCode()
    {
        if (_hash is { } known)
        {
            return known;
        }

        var hash = default(HashCode);
        foreach (var (key, value) in _items)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value);
        }

        _hash = hash.ToHashCode();
        return _hash.Value;
    }

    private int? _hash;

    public override string ToString() => string.Join(", ", _items.Select(item => $"{item.Key}={item.Value}"));

    private sealed class ProvisionsJsonConverter : JsonConverter<Provisions>
    {
        public override bool HandleNull => true;

        public override Provisions Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return Empty;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("Provisions must be a JSON object of keys to values.");
            }

            var builder = ImmutableSortedDictionary.CreateBuilder<string, ProvisionValue>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var key = reader.GetString()!;
                reader.Read();
                if (builder.ContainsKey(key))
                {
                    throw new JsonException($"Provision '{key}' appears twice.");
                }

                builder[key] = ProvisionValue.Read(ref reader);
            }

            return new Provisions(builder.ToImmutable());
        }

        public override void Write(Utf8JsonWriter writer, Provisions? value, JsonSerializerOptions options)
        {
            if (value is null)
            {
                writer.WriteNullValue();
                return;
            }

            writer.WriteStartObject();
            foreach (var (key, item) in value._items)
            {
                writer.WritePropertyName(key);
                item.WriteTo(writer);
            }

            writer.WriteEndObject();
        }
    }
}

/// <summary>
/// One provision's value: any JSON value but null (a number, a string, a list, an object), kept in the
/// canonical form the store gives back, so a value read back equals the value written.
/// </summary>
[JsonConverter(typeof(ProvisionValueJsonConverter))]
public sealed class ProvisionValue : IEquatable<ProvisionValue>
{
    private readonly string _canonical;

    // The parsed value, made when first asked for: reads of stored states only write the canonical text back out, and
    // parsing it again for each value was a tenth of a list's CPU. Boxed, so that a racing first read is one reference.
    private object? _json;

    // Nothing in the canonical text is escaped, so it can be copied out as it is whatever the writer's encoder (decided
    // once here, not on every write: values are written on every read of a stored state).
    private readonly bool _copiesAsIs;

    private ProvisionValue(string canonical)
    {
        _canonical = canonical;
        _copiesAsIs = !_canonical.Contains('\\', StringComparison.Ordinal);
    }

    public JsonElement Json => (JsonElement)(_json ??= JsonElement.Parse(_canonical));

    /// <summary>
    /// Writes the value: its canonical text as it is when nothing in it is escaped, or through the writer, which indents
    /// and escapes as its own options say (the canonical text escapes as the default encoder does, the API less).
    /// </summary>
    internal void WriteTo(Utf8JsonWriter writer)
    {
        if (writer.Options.Indented || !_copiesAsIs)
        {
            Json.WriteTo(writer);
        }
        else
        {
            writer.WriteRawValue(_canonical, skipInputValidation: true);
        }
    }

    public static ProvisionValue From(JsonElement json) =>
        json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
            ? throw new ArgumentException("A provision value cannot be null; remove the provision instead.", nameof(json))
            : new ProvisionValue(CanonicalJson.Normalize(json));

    public static ProvisionValue Of<T>(T value) => From(JsonSerializer.SerializeToElement(value));

    internal static ProvisionValue Read(ref Utf8JsonReader reader)
    {
        if (CanonicalJson.NormalizeScalar(ref reader) is { } scalar)
        {
            return new ProvisionValue(scalar);
        }

        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind == JsonValueKind.Null)
        {
            throw new JsonException("A provision value cannot be null; list the key in 'remove' instead.");
        }

        return new ProvisionValue(CanonicalJson.Normalize(document.RootElement));
    }

    public bool Equals(ProvisionValue? other) => ReferenceEquals(this, other) || (other is not null && string.Equals(_canonical, other._canonical, StringComparison.Ordinal));

    public override bool Equals(object? obj) => Equals(obj as ProvisionValue);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_canonical);

    public override string ToString() => _canonical;

    private sealed class ProvisionValueJsonConverter : JsonConverter<ProvisionValue>
    {
        public override ProvisionValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ProvisionValue.Read(ref reader);

        public override void Write(Utf8JsonWriter writer, ProvisionValue value, JsonSerializerOptions options) =>
            value.WriteTo(writer);
    }
}
