using Microsoft.AspNetCore.Http.HttpResults;
using Timeline.Api.Writing;
using Timeline.Dataset.Requests;

namespace Timeline.Api.Amending;

public static class AmendingApi
{
    public static RouteGroupBuilder MapAmending(this RouteGroupBuilder writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        writes.MapPost("/{id}/amendments", AmendAsync)
            .WithName("AmendPolicy")
            .WithSummary("Amend an instrument's provisions")
            .WithDescription("Sets or removes provisions from effectiveAt on. A clarification is an amendment too.");
        return writes;
    }

    public static Task<Results<Ok<WriteResponse>, ProblemHttpResult>> AmendAsync(
        string id, AmendPolicyRequest body, HttpContext http, PolicyWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return WriteEndpoint.UpdateAsync(http, body, body.ToCommand(id), writer, cancellationToken);
    }
}
