namespace Timeline.Domain.Decisions;

/// <summary>Why a command was refused. Nothing is written for a rejected command.</summary>
public enum RejectionKind
{
    /// <summary>A field is missing, malformed or out of bounds.</summary>
    Invalid,

    /// <summary>The instrument the command names is unknown.</summary>
    NotFound,

    /// <summary>The command contradicts the instrument's state (already exists, already rescinded, ...).</summary>
    Conflict,

    /// <summary>The caller expected another stream version (If-Match).</summary>
    VersionMismatch,

    /// <summary>Well-formed but impossible (effective before the issue, a correction of an unknown event).</summary>
    Unprocessable,
}

/// <summary>A refusal with a sentence for people and, for invalid fields, the messages per field.</summary>
public sealed record Rejection(RejectionKind Kind, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static Rejection Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(RejectionKind.Invalid, "One or more fields are invalid.", errors);

    public static Rejection Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static Rejection NotFound(string policyId) => new(RejectionKind.NotFound, $"No instrument '{policyId}' is recorded.");

    public static Rejection Conflict(string detail) => new(RejectionKind.Conflict, detail);

    public static Rejection Unprocessable(string detail) => new(RejectionKind.Unprocessable, detail);
}
