using Timeline.Dataset.Requests;

namespace Timeline.Dataset.FederalRegister;

/// <summary>
/// What one Federal Register document becomes: the writes that record it, in order, or the reasons it
/// cannot be imported. A document with errors is imported not at all.
/// </summary>
/// <param name="Source">Where the document was read from (a file, with its index in a results list).</param>
/// <param name="DocumentNumber">The Federal Register document number, when the document has one.</param>
/// <param name="Writes">The writes, the first being the one that records the document itself.</param>
/// <param name="Errors">Why it cannot be imported; empty when it can.</param>
/// <param name="Notes">What was read but not recorded (a disposition note that the other document records).</param>
public sealed record ImportPlan(
    string Source,
    string? DocumentNumber,
    IReadOnlyList<WriteRequest> Writes,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Notes)
{
    public const string MarkerPrefix = "federal-register/";

    public bool CanImport => Errors.Count == 0 && Writes.Count > 0;

    /// <summary>The correlation id of every event the document writes: <c>federal-register/&lt;document number&gt;</c>.</summary>
    public string Marker => MarkerPrefix + DocumentNumber;

    /// <summary>The instruments the writes need to exist already: what the document rescinds, supersedes, amends or corrects.</summary>
    public IEnumerable<string> Prerequisites => Writes
        .SelectMany(write => write.Kind == WriteKind.Issue ? write.Related() : [write.PolicyId])
        .Where(id => Writes[0].Kind != WriteKind.Issue || id != Writes[0].PolicyId)
        .Distinct(StringComparer.Ordinal);
}
