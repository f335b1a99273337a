using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;
using Timeline.Api.Audit;
using Timeline.Api.Http;
using Timeline.Api.ReadModel;
using Timeline.Api.Writing;
using Timeline.Domain.Policies;
using Weasel.Core;

namespace Timeline.Api.Database;

/// <summary>The Marten event store: string stream ids, quick appends with Timeline's own record times, the timeline projection inline.</summary>
public static class TimelineStore
{
    public const string ConnectionStringName = "Timeline";

    /// <summary>
    /// Registers the store. Returns Marten's registration so that a capability can add work for the async
    /// daemon (the notifications publisher does); the schema is applied at start-up.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddTimelineStore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException(
                $"No connection string '{ConnectionStringName}': set ConnectionStrings__{ConnectionStringName}, or start without it to use the embedded PostgreSQL.");
        var storeOptions = builder.Configuration.GetSection(TimelineStoreOptions.Section).Get<TimelineStoreOptions>() ?? new TimelineStoreOptions();
        builder.Services.AddSingleton(storeOptions);
        builder.Services.AddSingleton(new ReadModelTables(storeOptions.Schema));
        builder.Services.AddSingleton(new AuditTables(storeOptions.Schema));
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(ConnectionDefaults.Apply(connectionString)));
        builder.Services.AddSingleton(_ => new ReadConnections(NpgsqlDataSource.Create(ConnectionDefaults.ForReads(connectionString))));
        builder.Services.AddSingleton(_ => new WriteConnections(NpgsqlDataSource.Create(ConnectionDefaults.ForWrites(connectionString))));
        builder.Services.AddSingleton<RecordClock>();
        builder.Services.AddSingleton<PlannerStatistics>();

        return builder.Services.AddMarten(services => Configure(new StoreOptions(), storeOptions.Schema, services.GetRequiredService<NpgsqlDataSource>()))
            .ApplyAllDatabaseChangesOnStartup();
    }

    internal static StoreOptions Configure(StoreOptions options, string schema, NpgsqlDataSource dataSource)
    {
        options.Connection(dataSource);
        options.DatabaseSchemaName = schema;
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        // Enums as integers to Marten, so that its own string converter stays out and PolicyJson writes kebab case.
        options.UseSystemTextJsonForSerialization(EnumStorage.AsInteger, Casing.CamelCase, json => PolicyJson.Configure(json));

        var events = options.Events;
        events.StreamIdentity = StreamIdentity.AsString;
        // Quick appends, with the record time Timeline stamps under its append lock (see RecordClock).
        events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
        events.MetadataConfig.CorrelationIdEnabled = true;
        events.MetadataConfig.CausationIdEnabled = true;
        events.MetadataConfig.UserNameEnabled = true;
        events.MetadataConfig.HeadersEnabled = true;
        events.EnableUniqueIndexOnEventId = true;
        foreach (var (type, name) in PolicyEventTypes.All)
        {
            events.MapEventType(type, name);
        }

        // Created with the rest of the schema at start-up, never lazily inside an append's transaction.
        options.Schema.For<IdempotencyRecord>();

        var tables = new ReadModelTables(schema);
        options.Storage.ExtendedSchemaObjects.AddRange(tables.SchemaObjects());
        var audit = new AuditTables(schema);
        options.Storage.ExtendedSchemaObjects.Add(audit.Chain);
        options.Storage.ExtendedSchemaObjects.Add(audit.Checkpoints);
        options.Projections.Add(new PolicyTimelineProjection(tables), ProjectionLifecycle.Inline, PolicyTimelineProjection.Name, async =>
        {
            async.DeleteDataInTableOnTeardown(tables.Versions.Identifier.QualifiedName);
            async.DeleteDataInTableOnTeardown(tables.Changes.Identifier.QualifiedName);
        });
        return options;
    }
}
