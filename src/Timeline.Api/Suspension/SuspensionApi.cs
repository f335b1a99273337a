using Microsoft.AspNetCore.Http.HttpResults;
using Timeline.Api.Writing;
using Timeline.Dataset.Requests;

namespace Timeline.Api.Suspension;

public static class SuspensionApi
{
    public static RouteGroupBuilder MapSuspension(this RouteGroupBuilder writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        writes.MapPost("/{id}/suspensions", SuspendAsync)
            .WithName("SuspendPolicy")
            .WithSummary("Suspend an instrument in force");
        writes.MapPost("/{id}/reinstatements", ReinstateAsync)
            .WithName("ReinstatePolicy")
            .WithSummary("Reinstate a suspended instrument");
        return writes;
    }

    public static Task<Results<Ok<WriteResponse>, ProblemHttpResult>> SuspendAsync(
        string id, SuspensionRequest body, HttpContext http, PolicyWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return WriteEndpoint.UpdateAsync(http, body, body.ToSuspendCommand(id), writer, cancellationToken);
    }

    public static Task<Results<Ok<WriteResponse>, ProblemHttpResult>> ReinstateAsync(
        string id, SuspensionRequest body, HttpContext http, PolicyWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return WriteEndpoint.UpdateAsync(http, body, body.ToReinstateCommand(id), writer, cancellationToken);
    }
}
