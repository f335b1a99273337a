using Microsoft.AspNetCore.Http.HttpResults;
using Timeline.Api.Auth;
using Timeline.Api.ReadModel;

namespace Timeline.Api.Admin;

/// <summary>What a rebuild did: how long it took to replay the log into a fresh read model, and what it wrote.</summary>
public sealed record RebuildResponse(string Projection, double Seconds, long Events, long VersionRows, long ChangeRows);

/// <summary>Operations on the service itself, behind the write key.</summary>
public static class AdminApi
{
    /// <summary>The command-line form: <c>Timeline.Api rebuild-read-model</c> rebuilds and exits.</summary>
    public const string RebuildCommand = "rebuild-read-model";

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/admin/read-model/rebuild", RebuildAsync)
            .WithTags("Admin")
            .WithName("RebuildReadModel")
            .WithSummary("Throw the read model away and replay the whole log into it")
            .WithDescription("The log is the source of truth: the rebuilt rows are the same as before. The new read model is built beside the live one while reads and writes go on; writes and reads as of now wait only for the last step (the instruments written meanwhile, then the swap). No read sees a partial read model.")
            .RequireAuthorization(AuthSetup.WritePolicy)
            .RequireRateLimiting(Security.WriteRateLimiting.PolicyName)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static async Task<Ok<RebuildResponse>> RebuildAsync(ReadModelRebuild rebuild, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rebuild);
        var started = clock.GetTimestamp();
        var figures = await rebuild.RunAsync(TimeSpan.FromHours(1), cancellationToken);
        return TypedResults.Ok(new RebuildResponse(
            PolicyTimelineProjection.Name, clock.GetElapsedTime(started).TotalSeconds, figures.Events, figures.VersionRows, figures.ChangeRows));
    }

    /// <summary>Runs <see cref="RebuildCommand"/> against the configured store, then returns the process exit code.</summary>
    public static async Task<int> RunRebuildCommandAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.StartAsync();
        try
        {
            await app.Services.GetRequiredService<ReadModelRebuild>().RunAsync(TimeSpan.FromHours(1), app.Lifetime.ApplicationStopping);
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
