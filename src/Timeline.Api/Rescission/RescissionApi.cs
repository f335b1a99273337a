using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Timeline.Api.Writing;
using Timeline.Domain.Rescission;

namespace Timeline.Api.Rescission;

/// <summary>The body of <c>POST /api/policies/{id}/rescissions</c>.</summary>
public sealed record RescissionRequest(
    [property: Description("When the rescission applies; may be retroactive.")] string? EffectiveAt,
    [property: Description("The rescinding instrument, if any.")] string? ByPolicyId = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null);

/// <summary>The body of <c>POST /api/policies/{id}/supersessions</c>.</summary>
public sealed record SupersessionRequest(
    string? EffectiveAt,
    [property: Description("The superseding instrument.")] string? ByPolicyId,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null);

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
        var command = new RescindPolicy(id, body.EffectiveAt, body.ByPolicyId, body.Citation, body.SourceUrl, body.Note);
        return WriteEndpoint.UpdateAsync(http, body, command, writer, cancellationToken);
    }

    public static Task<Results<Ok<WriteResponse>, ProblemHttpResult>> SupersedeAsync(
        string id, SupersessionRequest body, HttpContext http, PolicyWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var command = new SupersedePolicy(id, body.EffectiveAt, body.ByPolicyId, body.Citation, body.SourceUrl, body.Note);
        return WriteEndpoint.UpdateAsync(http, body, command, writer, cancellationToken);
    }
}
