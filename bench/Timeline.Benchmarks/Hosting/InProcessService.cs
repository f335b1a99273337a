using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Timeline.Api.ReadModel;

namespace Timeline.Benchmarks.Hosting;

/// <summary>
/// The service's own composition in this process, on the benchmark's database, for the library paths (the bulk
/// writer, the rebuild) and Marten's store. Publishing is off: the import measures the write path.
/// </summary>
public sealed class InProcessService(string connectionString) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("ConnectionStrings:Timeline", connectionString);
        builder.UseSetting("Timeline:Dataset:LoadOnStart", "false");
        builder.UseSetting("Timeline:Notifications:Publish", "false");
        builder.UseSetting("Timeline:RateLimits:Writes:PerMinute", "0");
        builder.UseSetting("Timeline:ApiKeys:0:Name", "bench");
        builder.UseSetting("Timeline:ApiKeys:0:Key", ServiceProcess.ApiKey);
        builder.UseSetting("Timeline:Audit:SigningKeyFile", Path.Combine(Path.GetTempPath(), $"timeline-bench-inprocess-{Environment.ProcessId}.pem"));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // The rebuild's progress and its closing line, which splits its time into the copy, the index builds and the
        // swap: the run's figure is only the whole.
        builder.UseSetting($"Logging:LogLevel:{typeof(ReadModelRebuild).FullName}", "Information");
    }
}
