using System.Diagnostics;
using System.Globalization;
using Timeline.Api.Database.EmbeddedPostgres;

namespace Timeline.Benchmarks.Hosting;

/// <summary>
/// The service as its own process (the Release build), as it runs in production, so that HTTP is real loopback
/// HTTP and its memory can be read from /proc. Publishing is off: notifications are measured on their own.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    public const string ApiKey = "bench-key-0123456789";

    private readonly Process _process;

    private ServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromHours(2) };
        Client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public int ProcessId => _process.Id;

    public static async Task<ServiceProcess> StartAsync(string root, string connectionString)
    {
        var port = FreeTcpPort.OnLoopback();
        var dll = Path.Combine(root, "src", "Timeline.Api", "bin", "Release", "net10.0", "Timeline.Api.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"Build the service first: dotnet build -c Release src/Timeline.Api ({dll} is missing).");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.ArgumentList.Add("--no-dataset");
        start.Environment["ConnectionStrings__Timeline"] = connectionString;
        start.Environment["Timeline__ApiKeys__0__Name"] = "bench";
        start.Environment["Timeline__ApiKeys__0__Key"] = ApiKey;
        start.Environment["Timeline__Notifications__Publish"] = "false";
        // The benchmark measures the service, not the per-key write budget.
        start.Environment["Timeline__RateLimits__Writes__PerMinute"] = "0";
        start.Environment["Timeline__Audit__SigningKeyFile"] = Path.Combine(Path.GetTempPath(), $"timeline-bench-{port}.pem");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"  service: {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var ready = await service.Client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (HttpRequestException) when (!process.HasExited)
            {
            }

            if (process.HasExited || deadline.Elapsed > TimeSpan.FromMinutes(10))
            {
                await service.DisposeAsync();
                throw new InvalidOperationException("The service did not become ready.");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Resident memory now, and the most it ever held (VmHWM), in MiB.</summary>
    public (double Now, double Peak) ResidentMegabytes()
    {
        double Read(string key)
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }

        return (Read("VmRSS:"), Read("VmHWM:"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
