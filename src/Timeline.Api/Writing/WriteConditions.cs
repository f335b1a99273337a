using Timeline.Domain.Decisions;

namespace Timeline.Api.Writing;

/// <summary>Who writes and under which conditions, from the HTTP request.</summary>
/// <param name="RecordedBy">The name of the authenticated caller.</param>
/// <param name="CorrelationId">Ties together everything one business operation caused.</param>
/// <param name="RequestId">The request, which caused the events it writes directly.</param>
/// <param name="ExpectedVersion">The instrument's stream version the caller last saw (If-Match).</param>
/// <param name="Idempotency">The caller's idempotency key and a fingerprint of the request body.</param>
public sealed record WriteConditions(
    string RecordedBy,
    string CorrelationId,
    string RequestId,
    long? ExpectedVersion = null,
    IdempotencyKey? Idempotency = null);

/// <summary>An idempotency key scoped to its caller, with the fingerprint of the request it first came with.</summary>
public sealed record IdempotencyKey(string Key, string RequestFingerprint);

/// <summary>What a write recorded: the events in append order, the instrument's stream version after it, and the record time.</summary>
public sealed record WriteResult(string PolicyId, IReadOnlyList<Guid> EventIds, long Version, DateTimeOffset RecordedAt);

/// <summary>A write's outcome: recorded, replayed from an earlier request with the same idempotency key, or rejected with nothing written.</summary>
public sealed record WriteOutcome(WriteResult? Result, Rejection? Rejection, bool Replayed = false);
