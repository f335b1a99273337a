using System.ComponentModel;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Timeline.Api.Writing;
using Timeline.Domain.Correction;
using Timeline.Domain.Decisions;

namespace Timeline.Api.Correction;

/// <summary>The body of <c>POST /api/policies/{id}/corrections</c>.</summary>
public sealed record CorrectionRequest(
    [property: Description("The id of the event to correct, from the instrument's history.")] string? EventId,
    [property: Description("Corrected field values, named as in the event's data (a JSON merge patch: provisions merge key by key, null removes).")] JsonObject? Changes,
    [property: Description("Why the event was wrong.")] string? Reason);

public static class CorrectionApi
{
    public static RouteGroupBuilder MapCorrection(this RouteGroupBuilder writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        writes.MapPost("/{id}/corrections", CorrectAsync)
            .WithName("CorrectEvent")
            .WithSummary("Correct fields of an earlier event")
            .WithDescription("Appends a correction; the log keeps the original. Answers as of before the correction still show the original.");
        return writes;
    }

    public static Task<Results<Ok<WriteResponse>, ProblemHttpResult>> CorrectAsync(
        string id, CorrectionRequest body, HttpContext http, PolicyWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var command = new CorrectEvent(id, body.EventId, body.Changes, body.Reason);
        return WriteEndpoint.UpdateAsync(http, body, command, writer, cancellationToken);
    }
}
