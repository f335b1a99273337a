using Microsoft.AspNetCore.Http.HttpResults;
using Timeline.Api.Writing;
using Timeline.Dataset.Requests;

namespace Timeline.Api.Issuing;

public static class IssuingApi
{
    public static RouteGroupBuilder MapIssuing(this RouteGroupBuilder writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        writes.MapPost("/", IssueAsync)
            .WithName("IssuePolicy")
            .WithSummary("Issue an instrument")
            .WithDescription("Records a new instrument. Instruments it rescinds or supersedes get the matching event in the same transaction.");
        return writes;
    }

    public static Task<Results<Created<WriteResponse>, ProblemHttpResult>> IssueAsync(
        IssuePolicyRequest body, HttpContext http, PolicyWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return WriteEndpoint.CreateAsync(http, body, body.ToCommand(), writer, cancellationToken);
    }
}
