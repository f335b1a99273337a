using Marten;

namespace Timeline.Api.Database;

/// <summary>
/// <c>Timeline.Api --apply-schema</c>: applies the store's schema (events, read model, audit chain, announcements:
/// everything Marten is configured with) to the configured database with Marten's own migration, then exits 0.
/// A deployment runs it once, as a job, before the instances start, so that replicas starting together do not race
/// to change the schema, and it can run with a role allowed DDL while the service's role is not.
/// </summary>
public static class SchemaCommand
{
    public const string Flag = "--apply-schema";

    /// <summary>Applies the schema without starting the host: no daemon, no dataset, no listener.</summary>
    public static async Task<int> RunAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SchemaCommand));
        var store = app.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        logger.LogInformation("Schema {Schema} is up to date", app.Services.GetRequiredService<TimelineStoreOptions>().Schema);
        return 0;
    }
}
