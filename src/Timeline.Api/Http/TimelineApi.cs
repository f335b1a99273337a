using Timeline.Api.Admin;
using Timeline.Api.Amending;
using Timeline.Api.Audit;
using Timeline.Api.Audit.Reports;
using Timeline.Api.Auth;
using Timeline.Api.Batches;
using Timeline.Api.Changes;
using Timeline.Api.Correction;
using Timeline.Api.Diff;
using Timeline.Api.Expiry;
using Timeline.Api.History;
using Timeline.Api.Issuing;
using Timeline.Api.Notifications;
using Timeline.Api.PointInTime;
using Timeline.Api.Rescission;
using Timeline.Api.Suspension;
using Timeline.Api.Timelines;

namespace Timeline.Api.Http;

/// <summary>The HTTP contract of ../shared/spec/HTTP-API.md, one group per capability.</summary>
public static class TimelineApi
{
    /// <summary>The largest write body accepted; anything bigger is a 413.</summary>
    public const long MaxWriteBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapTimelineApi(this IEndpointRouteBuilder app)
    {
        // Requests answered from the database are bounded: a partition answers 503 instead of hanging. Streams and
        // whole-log work (the change stream, the audit log, verification, reports, rebuild) are not: they are
        // long by nature, and the connection's command timeout bounds each of their statements.
        var bounded = app.MapGroup(string.Empty);
        bounded.WithRequestTimeout(ErrorHandling.DatabaseTimeoutPolicy);
        var policies = bounded.MapGroup("/api/policies");

        var writes = policies.MapGroup(string.Empty)
            .WithTags("Writes")
            .RequireAuthorization(AuthSetup.WritePolicy)
            .RequireRateLimiting(Security.WriteRateLimiting.PolicyName)
            .WithMetadata(new RequestBodyLimit(MaxWriteBodyBytes))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        writes.MapIssuing();
        writes.MapAmending();
        writes.MapSuspension();
        writes.MapRescission();
        writes.MapExpiry();
        writes.MapCorrection();

        var reads = policies.MapGroup(string.Empty)
            .WithTags("Reads")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        reads.MapPointInTime();
        reads.MapTimelines();
        reads.MapHistory();
        app.MapBatchApi();
        bounded.MapChanges();
        bounded.MapDiffApi();
        app.MapChangeStream();
        app.MapAuditApi();
        app.MapAuditReports();
        app.MapAdminApi();
        return app;
    }
}
