using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Timeline.Api.Auth;
using Timeline.Api.Http;
using Timeline.Api.Writing;
using Timeline.Domain.Decisions;

namespace Timeline.Api.Batches;

/// <summary>
/// <c>POST /api/batches</c>: the bulk import path over HTTP. Every item is decided by the same command its own
/// endpoint runs, in order, in one transaction; the batch is written whole or not at all (docs/bulk-import.md).
/// </summary>
public static class BatchApi
{
    public const int MaxItems = 5_000;

    /// <summary>A batch carries many write bodies: 32 MiB rather than a single write's 1 MiB.</summary>
    public const long MaxBodyBytes = 32L * 1024 * 1024;

    public static IEndpointRouteBuilder MapBatchApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/batches", WriteAsync)
            .WithTags("Writes")
            .WithName("WriteBatch")
            .WithSummary("Write many commands in one transaction, all or nothing")
            .WithDescription("Each item is a write as its own endpoint takes it; items are decided in order, each seeing the ones before. A refused item refuses the batch: nothing is written, and the problem names the item's index.")
            .RequireAuthorization(AuthSetup.WritePolicy)
            // One batch spends one permit of the caller's write budget, like a single write.
            .RequireRateLimiting(Security.WriteRateLimiting.PolicyName)
            .WithMetadata(new RequestBodyLimit(MaxBodyBytes))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    public static async Task<Results<Ok<BatchResponse>, ProblemHttpResult>> WriteAsync(
        BatchRequest body, HttpContext http, PolicyWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(writer);
        if (body.Items is not { Count: > 0 and <= MaxItems } requested)
        {
            return Problems.Invalid("items", $"must hold 1 to {MaxItems} writes");
        }

        var errors = new FieldErrors();
        var recordedBy = http.User.FindFirstValue(ClaimTypes.Name) ?? throw new UnreachableException("Writes require an authenticated caller.");
        var correlationId = WriteEndpoint.Header(http, WriteEndpoint.CorrelationIdHeader, errors) ?? Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        var items = new List<BatchItem>(requested.Count);
        for (var index = 0; index < requested.Count; index++)
        {
            var item = requested[index];
            var (command, fingerprint, problem) = item is null ? (null, null, "is null") : BatchItems.Bind(item);
            if (problem is null && item!.IdempotencyKey is { } key && (key.Length is 0 or > 200 || key.Any(c => c < 0x21 || c > 0x7E)))
            {
                problem = "idempotencyKey must be 1 to 200 visible ASCII characters";
            }

            if (problem is not null)
            {
                return WithIndex(Problems.Invalid($"items[{index}]", problem), index);
            }

            var idempotency = item!.IdempotencyKey is { } idempotencyKey ? new IdempotencyKey(idempotencyKey, fingerprint!) : null;
            items.Add(new BatchItem(command!, new WriteConditions(recordedBy, correlationId, http.TraceIdentifier, item.ExpectedVersion, idempotency)));
        }

        var outcome = await writer.WriteBatchAsync(items, cancellationToken);
        if (outcome.Rejection is { } rejection)
        {
            var index = outcome.RefusedIndex ?? 0;
            return WithIndex(Problems.From(rejection with { Detail = $"Item {index} was refused, so nothing of the batch was written: {rejection.Detail}" }), index);
        }

        var answers = outcome.Items.Select(o => new BatchItemResponse(o.Result!.PolicyId, o.Result.EventIds, o.Result.Version, o.Result.RecordedAt, o.Replayed)).ToList();
        return TypedResults.Ok(new BatchResponse(outcome.Items.Where(o => !o.Replayed).Sum(o => o.Result!.EventIds.Count), answers));
    }

    private static ProblemHttpResult WithIndex(ProblemHttpResult problem, int index)
    {
        problem.ProblemDetails.Extensions["index"] = index;
        return problem;
    }
}
