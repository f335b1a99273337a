using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Timeline.Api.Writing;
using Timeline.Domain.Expiry;

namespace Timeline.Api.Expiry;

/// <summary>The body of <c>POST /api/policies/{id}/extensions</c>.</summary>
public sealed record ExtensionRequest(
    [property: Description("The new expiry: an instant, or a date (start of that day).")] string? ExpiresAt,
    [property: Description("When the extension applies; defaults to now.")] string? EffectiveAt = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null);

/// <summary>The body of <c>POST /api/policies/{id}/expirations</c>: an explicit sunset.</summary>
public sealed record ExpirationRequest(
    string? EffectiveAt,
    string? Citation = null,
    string? SourceUrl = null,
    string? Note = null);

public static class ExpiryApi
{
    public static RouteGroupBuilder MapExpiry(this RouteGroupBuilder writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        writes.MapPost("/{id}/extensions", ExtendAsync)
            .WithName("ExtendPolicy")
            .WithSummary("Move an instrument's expiry");
        writes.MapPost("/{id}/expirations", ExpireAsync)
            .WithName("ExpirePolicy")
            .WithSummary("Record an explicit sunset");
        return writes;
    }

    public static Task<Results<Ok<WriteResponse>, ProblemHttpResult>> ExtendAsync(
        string id, ExtensionRequest body, HttpContext http, PolicyWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var command = new ExtendPolicy(id, body.ExpiresAt, body.EffectiveAt, body.Citation, body.SourceUrl, body.Note);
        return WriteEndpoint.UpdateAsync(http, body, command, writer, cancellationToken);
    }

    public static Task<Results<Ok<WriteResponse>, ProblemHttpResult>> ExpireAsync(
        string id, ExpirationRequest body, HttpContext http, PolicyWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var command = new ExpirePolicy(id, body.EffectiveAt, body.Citation, body.SourceUrl, body.Note);
        return WriteEndpoint.UpdateAsync(http, body, command, writer, cancellationToken);
    }
}
