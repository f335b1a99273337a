using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Timeline.Api.Writing;
using Timeline.Domain.Suspension;

namespace Timeline.Api.Suspension;

/// <summary>The body of <c>POST /api/policies/{id}/suspensions</c> and <c>/reinstatements</c>.</summary>
public sealed record SuspensionRequest(
    string? EffectiveAt,
    [property: Description("Why: a court injunction, a stay, a pause.")] string? Reason,
    [property: Description("By whom, e.g. the court.")] string? By = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null);

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
        var command = new SuspendPolicy(id, body.EffectiveAt, body.Reason, body.By, body.Citation, body.SourceUrl, body.Note);
        return WriteEndpoint.UpdateAsync(http, body, command, writer, cancellationToken);
    }

    public static Task<Results<Ok<WriteResponse>, ProblemHttpResult>> ReinstateAsync(
        string id, SuspensionRequest body, HttpContext http, PolicyWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var command = new ReinstatePolicy(id, body.EffectiveAt, body.Reason, body.By, body.Citation, body.SourceUrl, body.Note);
        return WriteEndpoint.UpdateAsync(http, body, command, writer, cancellationToken);
    }
}
