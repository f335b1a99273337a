using Microsoft.AspNetCore.Http.HttpResults;
using Timeline.Api.Writing;
using Timeline.Dataset.Requests;

namespace Timeline.Api.Rescission;

public static class RescissionApi
{
    public static RouteGroupBuilder MapRescission(this RouteGroupBuilder writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        writes.MapPost("/{id}/rescissions", RescindAsync)
            .WithName("RescindPolicy")
            .WithSummary("Rescind an instrument");
        writes.MapPost("/{id}/supersessions", SupersedeAsync)
            .WithName("SupersedePolicy")
            .WithSummary("Record that another instrument superseded this one");
        return writes;
    }

    public static Task<Results<Ok<WriteResponse>, ProblemHttpResult>> RescindAsync(
        string id, RescissionRequest body, HttpContext http, PolicyWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return WriteEndpoint.UpdateAsync(http, body, body.ToCommand(id), writer, cancellationToken);
    }

    public static Task<Results<Ok<WriteResponse>, ProblemHttpResult>> SupersedeAsync(
        string id, SupersessionRequest body, HttpContext http, PolicyWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return WriteEndpoint.UpdateAsync(http, body, body.ToCommand(id), writer, cancellationToken);
    }
}
