using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Timeline.Api.ReadModel;

namespace Timeline.Api.Http;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the database answers and the schema is applied
/// (else 503); checks that only degrade the service (the message bus, the change publisher) answer 200 with
/// <c>Degraded</c> and say why in the JSON body.
/// </summary>
public static class HealthChecks
{
    /// <summary>The tag of the checks that readiness runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// How long a readiness check may take: a database behind a partition answers nothing, and a probe that hangs
    /// would keep the instance in service; after this the check counts as failed.
    /// </summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web);

    public static IServiceCollection AddTimelineHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseReady>("database", tags: [ReadyTag], timeout: CheckTimeout);
        return services;
    }

    public static IEndpointRouteBuilder MapTimelineHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithTags("Health").AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteReportAsync })
            .WithTags("Health")
            .AllowAnonymous(); // probes carry no credentials, even where reads need them
        return app;
    }

    /// <summary>The overall status and each check's status, description and data, so a degraded part is visible.</summary>
    private static Task WriteReportAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description, data = entry.Value.Data }),
        };
        return http.Response.WriteAsync(JsonSerializer.Serialize(body, ReportJson), http.RequestAborted);
    }

    private sealed class DatabaseReady(NpgsqlDataSource dataSource, ReadModelTables tables) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                // Answers at the check's timeout even when the statement does not: behind a silent partition Npgsql's
                // cancellation cannot reach the server and the statement waits for its command timeout.
                await QueryAsync(cancellationToken).WaitAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("The database is unreachable or its schema is not applied.", exception);
            }
        }

        private async Task QueryAsync(CancellationToken cancellationToken)
        {
            await using var command = dataSource.CreateCommand(
                $"select 1 from {tables.Versions.Identifier.QualifiedName} limit 1; select 1 from {tables.Schema}.mt_events limit 1");
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
