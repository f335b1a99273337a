using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timeline.Api.Correction;
using Timeline.Api.Writing;
using Timeline.Dataset.Requests;
using Timeline.Domain.Correction;
using Timeline.Domain.Decisions;

namespace Timeline.Api.Batches;

/// <summary>The body of <c>POST /api/batches</c>: writes in order, each as its own endpoint takes it.</summary>
public sealed record BatchRequest(
    [property: Description("The writes, in the order they are decided; at most 5,000.")] IReadOnlyList<BatchRequestItem>? Items);

/// <summary>One write of a batch: which write, on which instrument, the body its endpoint takes, and its conditions.</summary>
public sealed record BatchRequestItem(
    [property: Description("issue, amend, suspend, reinstate, rescind, supersede, extend, expire or correct.")] string? Write,
    [property: Description("The instrument written to; for an issue, optional (the body's id).")] string? PolicyId,
    [property: Description("The body the write's own endpoint takes.")] JsonObject? Body,
    [property: Description("As the Idempotency-Key header of a single write: a repeat answers as the first time.")] string? IdempotencyKey = null,
    [property: Description("As If-Match on a single write: the instrument's version before this write.")] long? ExpectedVersion = null);

/// <summary>What a written batch answers: each item's result in order, and how many events the batch recorded.</summary>
public sealed record BatchResponse(int Events, IReadOnlyList<BatchItemResponse> Items);

public sealed record BatchItemResponse(string PolicyId, IReadOnlyList<Guid> EventIds, long Version, DateTimeOffset RecordedAt, bool Replayed);

/// <summary>Turns a batch item into the command its own endpoint would run, with the fingerprint its idempotency key compares.</summary>
public static class BatchItems
{
    public const string CorrectWrite = "correct";

    /// <summary>The command and the fingerprint (as the single endpoint computes it), or the reason the item does not bind.</summary>
    public static (IPolicyCommand? Command, string? Fingerprint, string? Problem) Bind(BatchRequestItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Body is null)
        {
            return (null, null, "has no body");
        }

        try
        {
            if (item.Write == CorrectWrite)
            {
                if (string.IsNullOrEmpty(item.PolicyId))
                {
                    return (null, null, "a correction needs policyId");
                }

                var correction = item.Body.Deserialize<CorrectionRequest>(RequestJson.Options) ?? throw new JsonException("The body is null.");
                var path = $"/api/policies/{Uri.EscapeDataString(item.PolicyId)}/corrections";
                return (new CorrectEvent(item.PolicyId, correction.EventId, correction.Changes, correction.Reason), WriteEndpoint.Fingerprint(HttpMethods.Post, path, correction), null);
            }

            if (item.Write is null || !WriteRequest.Names.TryGetValue(item.Write, out var kind))
            {
                return (null, null, $"write must be one of {string.Join(", ", WriteRequest.Names.Keys.Append(CorrectWrite))}");
            }

            var bodyId = item.Body["id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String ? id.GetValue<string>() : null;
            if (kind == WriteKind.Issue && item.PolicyId is not null && item.PolicyId != bodyId)
            {
                return (null, null, "policyId differs from the body's id");
            }

            var policyId = kind == WriteKind.Issue ? bodyId ?? string.Empty : item.PolicyId;
            if (string.IsNullOrEmpty(policyId) && kind != WriteKind.Issue)
            {
                return (null, null, "needs policyId");
            }

            var request = new WriteRequest(kind, policyId!, item.Body);
            return (request.ToCommand(), WriteEndpoint.Fingerprint(HttpMethods.Post, request.Path, request.BindBody()), null);
        }
        catch (JsonException exception)
        {
            return (null, null, "the body does not bind: " + exception.Message);
        }
    }
}
