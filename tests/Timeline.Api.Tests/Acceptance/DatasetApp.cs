using Microsoft.AspNetCore.Hosting;
using Timeline.Api.Dataset;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Acceptance;

/// <summary>
/// The service on its own database with the curated dataset loaded by its first start, as the embedded
/// default does: shared by the acceptance classes of <see cref="LoadedDataset"/>, which only read.
/// </summary>
public sealed class DatasetApp(PostgresServer postgres) : TimelineApp(postgres)
{
    /// <summary>When the test run began, before the dataset was recorded.</summary>
    public DateTimeOffset BeforeLoad { get; } = DateTimeOffset.UtcNow;

    protected override void Configure(IWebHostBuilder host) => host.UseSetting(DatasetOnStart.LoadOnStartKey, "true");
}

[CollectionDefinition(nameof(LoadedDataset))]
public sealed class LoadedDataset : ICollectionFixture<DatasetApp>;

/// <summary>An acceptance test class: reads against the loaded dataset, skipped with instructions where there is no PostgreSQL.</summary>
[Collection(nameof(LoadedDataset))]
public abstract class AcceptanceTest
{
    protected AcceptanceTest(DatasetApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.RequirePostgres();
        App = app;
    }

    protected DatasetApp App { get; }

    protected HttpClient Api => App.Anonymous;

    /// <summary>The instrument at <paramref name="at"/> (a date, the end of that day in New York, or an instant), as the record stands now.</summary>
    protected Task<System.Text.Json.JsonElement> PolicyAsync(string id, string at) => Api.StateAsync(id, at);
}
