using Microsoft.AspNetCore.Http.HttpResults;
using Timeline.Api.Writing;
using Timeline.Dataset.Requests;

namespace Timeline.Api.Expiry;

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
        return WriteEndpoint.UpdateAsync(http, body, body.ToCommand(id), writer, cancellationToken);
    }

    public static Task<Results<Ok<WriteResponse>, ProblemHttpResult>> ExpireAsync(
        string id, ExpirationRequest body, HttpContext http, PolicyWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return WriteEndpoint.UpdateAsync(http, body, body.ToCommand(id), writer, cancellationToken);
    }
}
