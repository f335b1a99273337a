using Microsoft.AspNetCore.Http.HttpResults;
using Timeline.Domain.Decisions;

namespace Timeline.Api.Http;

/// <summary>
/// The one place that turns a refusal into an RFC 9457 problem: status, a stable type URI per kind,
/// a title, the detail sentence and, for invalid fields, the messages per field.
/// </summary>
public static class Problems
{
    private const string TypeBase = "https://timeline.dev/problems/";

    public static ProblemHttpResult From(Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        var (status, slug, title) = rejection.Kind switch
        {
            RejectionKind.Invalid => (StatusCodes.Status400BadRequest, "invalid-field", "A field is invalid"),
            RejectionKind.NotFound => (StatusCodes.Status404NotFound, "unknown-instrument", "Unknown instrument"),
            RejectionKind.Conflict => (StatusCodes.Status409Conflict, "conflict", "The write conflicts with the record"),
            RejectionKind.VersionMismatch => (StatusCodes.Status412PreconditionFailed, "version-mismatch", "The instrument has changed"),
            RejectionKind.Unprocessable => (StatusCodes.Status422UnprocessableEntity, "impossible", "The write is impossible"),
            _ => throw new ArgumentOutOfRangeException(nameof(rejection)),
        };
        var extensions = rejection.Errors is null ? null : new Dictionary<string, object?> { ["errors"] = rejection.Errors };
        return TypedResults.Problem(rejection.Detail, statusCode: status, title: title, type: TypeBase + slug, extensions: extensions);
    }

    /// <summary>An instrument the record did not hold as of the time asked.</summary>
    public static ProblemHttpResult UnknownAsOf(string policyId, DateTimeOffset asOf) =>
        From(Rejection.NotFound(policyId) with { Detail = $"No instrument '{policyId}' is recorded as of {Domain.Time.Instants.Format(asOf)}." });

    public static ProblemHttpResult Invalid(string field, string message) => From(Rejection.Invalid(field, message));

    public static ProblemHttpResult Invalid(FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return From(errors.ToRejection());
    }

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found", type: TypeBase + "not-found");

    /// <summary>Problem type URIs for statuses raised outside the endpoints (malformed JSON, too large, no key, ...).</summary>
    public static string TypeFor(int status) => status switch
    {
        StatusCodes.Status400BadRequest => TypeBase + "bad-request",
        StatusCodes.Status401Unauthorized => TypeBase + "unauthorized",
        StatusCodes.Status403Forbidden => TypeBase + "forbidden",
        StatusCodes.Status404NotFound => TypeBase + "not-found",
        StatusCodes.Status405MethodNotAllowed => TypeBase + "method-not-allowed",
        StatusCodes.Status408RequestTimeout => TypeBase + "timeout",
        StatusCodes.Status413PayloadTooLarge => TypeBase + "too-large",
        StatusCodes.Status414UriTooLong => TypeBase + "request-line-too-long",
        StatusCodes.Status429TooManyRequests => TypeBase + "too-many-requests",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => TypeBase + "headers-too-large",
        StatusCodes.Status505HttpVersionNotsupported => TypeBase + "http-version",
        StatusCodes.Status415UnsupportedMediaType => TypeBase + "unsupported-media-type",
        StatusCodes.Status503ServiceUnavailable => TypeBase + "unavailable",
        _ => TypeBase + "error",
    };
}
