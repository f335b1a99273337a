using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Timeline.Api.ReadModel;

namespace Timeline.Api.Http;

/// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: the database answers and the schema is applied.</summary>
public static class HealthChecks
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddTimelineHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseReady>("database", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapTimelineHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithTags("Health");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).WithTags("Health");
        return app;
    }

    private sealed class DatabaseReady(NpgsqlDataSource dataSource, ReadModelTables tables) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var command = dataSource.CreateCommand(
                    $"select 1 from {tables.Versions.Identifier.QualifiedName} limit 1; select 1 from {tables.Schema}.mt_events limit 1");
                await command.ExecuteNonQueryAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("The database is unreachable or its schema is not applied.", exception);
            }
        }
    }
}
