using Timeline.Api.Admin;
using Timeline.Api.Audit;
using Timeline.Api.Auth;
using Timeline.Api.Database;
using Timeline.Api.Database.EmbeddedPostgres;
using Timeline.Api.Dataset;
using Timeline.Api.Http;
using Timeline.Api.Notifications;

if (args.Contains(HealthProbe.Flag))
{
    return await HealthProbe.RunAsync(args);
}

// --no-dataset skips the first-start load of the curated dataset; it is not a configuration key.
var skipDataset = args.Contains(DatasetOnStart.SkipFlag);
args = [.. args.Where(arg => arg != DatasetOnStart.SkipFlag)];

// Settings ship beside the binaries; the working directory is where .timeline/ (the embedded database) goes.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://localhost:5080"); // --urls and ASPNETCORE_URLS override it
}

// With no connection string, Timeline runs on its own PostgreSQL from the machine's binaries.
var embedded = string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(TimelineStore.ConnectionStringName));
try
{
    builder.AddEmbeddedPostgresWhenNoConnectionString();
}
catch (EmbeddedPostgresException exception)
{
    await Console.Error.WriteLineAsync(exception.Message);
    return 1;
}

var store = builder.AddTimelineStore();
var localFiles = Path.Combine(Directory.GetCurrentDirectory(), ".timeline");
builder.AddTimelineAuth(generatedKeyFile: embedded ? Path.Combine(localFiles, "api-key") : null);
builder.AddTimelineAudit(generatedKeyFile: embedded ? Path.Combine(localFiles, "audit-signing-key.pem") : null);
builder.AddTimelineApi();
builder.AddTimelineNotifications(store);
builder.AddDatasetOnStart(loadByDefault: embedded, skip: skipDataset);

var app = builder.Build();
if (args.Contains(SchemaCommand.Flag))
{
    return await SchemaCommand.RunAsync(app);
}

app.UseTimelineApi();
if (args.Contains(AdminApi.RebuildCommand))
{
    return await AdminApi.RunRebuildCommandAsync(app);
}

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
