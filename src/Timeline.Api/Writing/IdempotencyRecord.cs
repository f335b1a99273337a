namespace Timeline.Api.Writing;

/// <summary>
/// The answer given to the first request with an idempotency key, kept so that a retry gets the same
/// answer without writing again. Stored in the same transaction as the events it answers for.
/// </summary>
public sealed class IdempotencyRecord
{
    /// <summary>The caller's name and key: <c>{recordedBy}/{key}</c>.</summary>
    public required string Id { get; init; }

    public required string RequestFingerprint { get; init; }

    public required string PolicyId { get; init; }

    public required List<Guid> EventIds { get; init; }

    public required long Version { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }
}
