using System.Text.Json.Nodes;

namespace Timeline.Domain.Policies;

// The vocabulary of one instrument's stream, in one place. Events are facts, named in the past
// tense; their names and fields are stored forever, so they change only by adding optional fields.

/// <summary>Something that happened to one instrument.</summary>
public interface IPolicyEvent
{
    string PolicyId { get; }
}

/// <summary>An event that applies in the world from its effective time (every event but a correction).</summary>
public interface IEffectiveEvent : IPolicyEvent
{
    DateTimeOffset EffectiveAt { get; }

    string? Citation { get; }

    string? SourceUrl { get; }

    /// <summary>How well sourced the event's facts are; null when not stated.</summary>
    Confidence? Confidence { get; }

    /// <summary>The day the fact became publicly known, where a source says so (a filing days after the change).</summary>
    DateOnly? PublicKnowledgeOn { get; }
}

/// <summary>The instrument came into being. <see cref="TimeZone"/> is the zone its dates are stated in.</summary>
public sealed record PolicyIssued(
    string PolicyId,
    PolicyKind Kind,
    string Title,
    string Jurisdiction,
    string TimeZone,
    EquatableArray<string> Topics,
    DateTimeOffset EffectiveAt,
    Provisions Provisions,
    EquatableArray<string> Rescinds,
    EquatableArray<string> Supersedes,
    string? Authority = null,
    DateOnly? SignedOn = null,
    DateOnly? PublishedOn = null,
    DateTimeOffset? ExpiresAt = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    Confidence? Confidence = null,
    DateOnly? PublicKnowledgeOn = null) : IEffectiveEvent;

/// <summary>Provisions were set or removed; a clarification is an amendment too.</summary>
public sealed record PolicyAmended(
    string PolicyId,
    DateTimeOffset EffectiveAt,
    Provisions Set,
    EquatableArray<string> Remove,
    string? ByPolicyId = null,
    string? Summary = null,
    string? Citation = null,
    string? SourceUrl = null,
    DateOnly? PublishedOn = null,
    Confidence? Confidence = null,
    DateOnly? PublicKnowledgeOn = null) : IEffectiveEvent;

/// <summary>The instrument stopped applying for a while (a court injunction, a stay, a pause).</summary>
public sealed record PolicySuspended(
    string PolicyId,
    DateTimeOffset EffectiveAt,
    string Reason,
    string? By = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    Confidence? Confidence = null,
    DateOnly? PublicKnowledgeOn = null) : IEffectiveEvent;

/// <summary>A suspension ended and the instrument applies again.</summary>
public sealed record PolicyReinstated(
    string PolicyId,
    DateTimeOffset EffectiveAt,
    string Reason,
    string? By = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    Confidence? Confidence = null,
    DateOnly? PublicKnowledgeOn = null) : IEffectiveEvent;

/// <summary>The instrument was revoked, by another instrument where one is named (EO 14148 revoked EO 14110).</summary>
public sealed record PolicyRescinded(
    string PolicyId,
    DateTimeOffset EffectiveAt,
    string? ByPolicyId = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    Confidence? Confidence = null,
    DateOnly? PublicKnowledgeOn = null) : IEffectiveEvent;

/// <summary>Another instrument took this one's place.</summary>
public sealed record PolicySuperseded(
    string PolicyId,
    DateTimeOffset EffectiveAt,
    string ByPolicyId,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    Confidence? Confidence = null,
    DateOnly? PublicKnowledgeOn = null) : IEffectiveEvent;

/// <summary>The instrument's expiry moved to <see cref="ExpiresAt"/>, from <see cref="EffectiveAt"/> on.</summary>
public sealed record PolicyExtended(
    string PolicyId,
    DateTimeOffset EffectiveAt,
    DateTimeOffset ExpiresAt,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    Confidence? Confidence = null,
    DateOnly? PublicKnowledgeOn = null) : IEffectiveEvent;

/// <summary>An explicit sunset: the instrument ended at <see cref="EffectiveAt"/>.</summary>
public sealed record PolicyExpired(
    string PolicyId,
    DateTimeOffset EffectiveAt,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null,
    Confidence? Confidence = null,
    DateOnly? PublicKnowledgeOn = null) : IEffectiveEvent;

/// <summary>
/// Fields of an earlier event of this stream were wrong. <see cref="Changes"/> holds their corrected
/// values (a JSON merge patch of the event's data, RFC 7396). It replaces nothing in the log: the fold
/// reads the corrected event in its place, as of the correction's record time.
/// </summary>
public sealed record PolicyCorrected(
    string PolicyId,
    Guid EventId,
    CorrectionChanges Changes,
    string Reason) : IPolicyEvent;

/// <summary>The corrected field values of a correction, compared by their canonical JSON.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(CorrectionChangesJsonConverter))]
public sealed class CorrectionChanges : IEquatable<CorrectionChanges>
{
    private readonly string _canonical;

    public CorrectionChanges(JsonObject fields)
    {
        Fields = (JsonObject)fields.DeepClone();
        _canonical = CanonicalJson.Write(System.Text.Json.JsonSerializer.SerializeToElement(Fields));
    }

    public JsonObject Fields { get; }

    public IEnumerable<string> FieldNames => Fields.Select(member => member.Key);

    public bool Equals(CorrectionChanges? other) => other is not null && string.Equals(_canonical, other._canonical, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as CorrectionChanges);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_canonical);

    public override string ToString() => _canonical;
}

internal sealed class CorrectionChangesJsonConverter : System.Text.Json.Serialization.JsonConverter<CorrectionChanges>
{
    public override CorrectionChanges Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        JsonNode.Parse(ref reader) is JsonObject fields
            ? new CorrectionChanges(fields)
            : throw new System.Text.Json.JsonException("A correction's changes must be a JSON object of field names to corrected values.");

    public override void Write(System.Text.Json.Utf8JsonWriter writer, CorrectionChanges value, System.Text.Json.JsonSerializerOptions options) =>
        value.Fields.WriteTo(writer);
}
