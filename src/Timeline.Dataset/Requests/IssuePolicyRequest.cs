using System.ComponentModel;
using Timeline.Domain.Issuing;
using Timeline.Domain.Policies;

namespace Timeline.Dataset.Requests;

/// <summary>The body of <c>POST /api/policies</c>.</summary>
public sealed record IssuePolicyRequest(
    [property: Description("Stable readable id: lower-case words joined by '-', '.' or '_', e.g. us-eo-14110.")] string? Id,
    [property: Description("executive-order, proclamation, rule, statute, guidance, license-policy or other.")] string? Kind,
    string? Title,
    [property: Description("ISO 3166 code such as US, or EU.")] string? Jurisdiction,
    [property: Description("Topics such as export-controls, ai, immigration.")] IReadOnlyList<string>? Topics,
    [property: Description("When it takes effect: an RFC 3339 instant, or a date meaning the start of that day in the instrument's time zone.")] string? EffectiveAt,
    [property: Description("IANA zone its dates are stated in; defaults from the jurisdiction (US: America/New_York).")] string? TimeZone = null,
    string? Authority = null,
    string? Citation = null,
    string? SourceUrl = null,
    [property: Description("Date signed, e.g. 2025-01-20.")] string? SignedOn = null,
    [property: Description("Date published, e.g. 2025-01-23.")] string? PublishedOn = null,
    [property: Description("When it expires unless extended: an instant, or a date (start of that day).")] string? ExpiresAt = null,
    [property: Description("Machine-checkable content: keys to JSON values, e.g. {\"h1b.new-petition-payment-usd\": 100000}.")] Provisions? Provisions = null,
    [property: Description("Instruments this one rescinds from its effective time.")] IReadOnlyList<string>? Rescinds = null,
    [property: Description("Instruments this one supersedes from its effective time.")] IReadOnlyList<string>? Supersedes = null,
    string? Note = null,
    [property: Description(RequestDescriptions.Confidence)] Confidence? Confidence = null,
    [property: Description(RequestDescriptions.PublicKnowledgeOn)] string? PublicKnowledgeOn = null)
{
    public IssuePolicy ToCommand() => new(
        Id, Kind, Title, Jurisdiction, Topics, EffectiveAt, TimeZone, Authority, SignedOn, PublishedOn, ExpiresAt,
        Provisions, Rescinds, Supersedes, Citation, SourceUrl, Note, Confidence, PublicKnowledgeOn);
}
