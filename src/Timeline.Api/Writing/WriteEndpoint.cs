using System.Diagnostics;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Timeline.Api.Http;
using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;

namespace Timeline.Api.Writing;

/// <summary>What every successful write answers: the events written, the instrument's version after it, and the record time.</summary>
public sealed record WriteResponse(string PolicyId, IReadOnlyList<Guid> EventIds, long Version, DateTimeOffset RecordedAt);

/// <summary>
/// The HTTP side of a write, shared by every write endpoint: read If-Match, Idempotency-Key and the
/// correlation id, run the command through <see cref="PolicyWriter"/>, answer with the version as ETag.
/// </summary>
public static class WriteEndpoint
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string CorrelationIdHeader = "X-Correlation-Id";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxHeaderValueLength = 200;

    /// <summary>Writes to an existing instrument: 200 with the result.</summary>
    public static async Task<Results<Ok<WriteResponse>, ProblemHttpResult>> UpdateAsync<TBody>(
        HttpContext http, TBody body, IPolicyCommand command, PolicyWriter writer, CancellationToken cancellationToken)
    {
        var (result, problem) = await WriteAsync(http, body, command, writer, cancellationToken);
        return result is null ? problem! : TypedResults.Ok(result);
    }

    /// <summary>Writes a new instrument: 201 with its location.</summary>
    public static async Task<Results<Created<WriteResponse>, ProblemHttpResult>> CreateAsync<TBody>(
        HttpContext http, TBody body, IPolicyCommand command, PolicyWriter writer, CancellationToken cancellationToken)
    {
        var (result, problem) = await WriteAsync(http, body, command, writer, cancellationToken);
        return result is null ? problem! : TypedResults.Created($"/api/policies/{Uri.EscapeDataString(result.PolicyId)}", result);
    }

    private static async Task<(WriteResponse?, ProblemHttpResult?)> WriteAsync<TBody>(
        HttpContext http, TBody body, IPolicyCommand command, PolicyWriter writer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var conditions = ReadConditions(http, body, errors);
        if (errors.Any)
        {
            return (null, Problems.Invalid(errors));
        }

        var outcome = await writer.WriteAsync(command, conditions, cancellationToken);
        if (outcome.Rejection is not null)
        {
            return (null, Problems.From(outcome.Rejection));
        }

        var result = outcome.Result!;
        http.Response.Headers.ETag = $"\"{result.Version}\"";
        if (outcome.Replayed)
        {
            http.Response.Headers[ReplayedHeader] = "true";
        }

        return (new WriteResponse(result.PolicyId, result.EventIds, result.Version, result.RecordedAt), null);
    }

    private static WriteConditions ReadConditions<TBody>(HttpContext http, TBody body, FieldErrors errors)
    {
        var recordedBy = http.User.FindFirstValue(ClaimTypes.Name) ?? throw new UnreachableException("Writes require an authenticated caller.");
        var correlationId = Header(http, CorrelationIdHeader, errors) ?? Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        var idempotencyKey = Header(http, IdempotencyKeyHeader, errors);
        return new WriteConditions(
            recordedBy,
            correlationId,
            http.TraceIdentifier,
            ExpectedVersion(http, errors),
            idempotencyKey is null ? null : new IdempotencyKey(idempotencyKey, Fingerprint(http, body)));
    }

    internal static string? Header(HttpContext http, string name, FieldErrors errors)
    {
        if (!http.Request.Headers.TryGetValue(name, out var values))
        {
            return null;
        }

        var value = values.Count == 1 ? values[0] : null;
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxHeaderValueLength || value.Any(c => c < 0x21 || c > 0x7E))
        {
            errors.Add(name, $"must be one value of 1 to {MaxHeaderValueLength} visible ASCII characters");
            return null;
        }

        return value;
    }

    /// <summary>If-Match: "3" is the version the caller expects; * or no header means any version.</summary>
    private static long? ExpectedVersion(HttpContext http, FieldErrors errors)
    {
        var ifMatch = http.Request.Headers.IfMatch;
        if (ifMatch.Count == 0)
        {
            return null;
        }

        if (ifMatch.Count == 1 && EntityTagHeaderValue.TryParse(ifMatch[0], out var tag))
        {
            if (tag.Equals(EntityTagHeaderValue.Any))
            {
                return null;
            }

            if (!tag.IsWeak && long.TryParse(tag.Tag.AsSpan(1, tag.Tag.Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
            {
                return version;
            }
        }

        errors.Add("If-Match", "must be one strong entity tag holding the version, such as \"3\", or *");
        return null;
    }

    private static string Fingerprint<TBody>(HttpContext http, TBody body) => Fingerprint(http.Request.Method, http.Request.Path, body);

    /// <summary>
    /// The request as the idempotency check compares it: method, path and the body as bound (so whitespace and member
    /// order do not matter). Writes made in process (the dataset's first-start load) compare the same way.
    /// </summary>
    public static string Fingerprint(string method, string path, object? body)
    {
        var text = $"{method} {path}\n{JsonSerializer.Serialize(body, body?.GetType() ?? typeof(object), PolicyJson.Options)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
