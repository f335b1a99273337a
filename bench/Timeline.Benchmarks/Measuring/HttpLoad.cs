using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Timeline.Benchmarks.Measuring;

/// <summary>What <c>wrk</c> got from the point-in-time endpoints, and the CPU each request cost the service and the database.</summary>
public sealed record HttpLoadResult(double RequestsPerSecond, double ServiceCpuMsPerRequest, double DatabaseCpuMsPerRequest);

/// <summary>Requests per second that <c>wrk</c> got from the point-in-time endpoints on loopback.</summary>
public static partial class HttpLoad
{
    public static bool Available => File.Exists("/usr/bin/wrk");

    /// <summary>
    /// Runs wrk with two threads and <paramref name="connections"/> connections for <paramref name="warmUp"/>, discarded,
    /// then for <paramref name="duration"/>, measured; null when wrk is not installed. The warm-up is the same load: the
    /// read pool opens its connections under it, a new PostgreSQL backend reads its catalog caches and prepares its
    /// statements on its first requests, and the service's JIT reaches its optimised code only after a while under this
    /// load (at 100k events, the service's CPU per request was 0.65 ms after 10 s of it, 0.31 ms after 30 s).
    /// </summary>
    public static async Task<HttpLoadResult?> MeasureAsync(
        Uri address, IReadOnlyList<string> paths, TimeSpan warmUp, TimeSpan duration, int connections, int serviceProcessId)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (!Available)
        {
            return null;
        }

        // A small script cycles through the paths, so the load is not one cached answer.
        var script = Path.Combine(Path.GetTempPath(), $"timeline-wrk-{Environment.ProcessId}.lua");
        await File.WriteAllTextAsync(script,
            "local paths = {" + string.Join(", ", paths.Select(p => $"\"{p}\"")) + "}\n" +
            "local i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n");
        try
        {
            await RunAsync(address, script, warmUp, connections);
            var service = CpuTime.OfProcess(serviceProcessId);
            var database = CpuTime.OfProcessesNamed("postgres");
            var (rate, requests) = await RunAsync(address, script, duration, connections);
            var perRequest = 1000.0 / Math.Max(requests, 1);
            return new HttpLoadResult(
                rate,
                (CpuTime.OfProcess(serviceProcessId) - service) * perRequest,
                (CpuTime.OfProcessesNamed("postgres") - database) * perRequest);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<(double Rate, long Requests)> RunAsync(Uri address, string script, TimeSpan duration, int connections)
    {
        var start = new ProcessStartInfo("/usr/bin/wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "-s", script, address.ToString() })
        {
            start.ArgumentList.Add(arg);
        }

        using var wrk = Process.Start(start)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var errors = NonSuccess().Match(output);
        if (errors.Success)
        {
            throw new InvalidOperationException($"wrk saw failed responses: {errors.Value}\n{output}");
        }

        var rate = Rate().Match(output);
        var requests = Requests().Match(output);
        return rate.Success && requests.Success
            ? (double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture))
            : throw new InvalidOperationException("wrk printed no rate:\n" + output);
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex Rate();

    [GeneratedRegex(@"(\d+) requests in ")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses: \d+")]
    private static partial Regex NonSuccess();
}
