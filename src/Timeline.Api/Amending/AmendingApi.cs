using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Timeline.Api.Writing;
using Timeline.Domain.Amending;
using Timeline.Domain.Policies;

namespace Timeline.Api.Amending;

/// <summary>The body of <c>POST /api/policies/{id}/amendments</c>.</summary>
public sealed record AmendPolicyRequest(
    [property: Description("When the amendment applies; may be before amendments already recorded.")] string? EffectiveAt,
    [property: Description("Provisions set or replaced.")] Provisions? Set = null,
    [property: Description("Provision keys removed.")] IReadOnlyList<string>? Remove = null,
    [property: Description("The amending instrument, if any.")] string? ByPolicyId = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? Summary = null);

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
        var command = new AmendPolicy(id, body.EffectiveAt, body.Set, body.Remove, body.ByPolicyId, body.Summary, body.Citation, body.SourceUrl);
        return WriteEndpoint.UpdateAsync(http, body, command, writer, cancellationToken);
    }
}
