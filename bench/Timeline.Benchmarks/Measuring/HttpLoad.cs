using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Timeline.Benchmarks.Measuring;

/// <summary>Requests per second that <c>wrk</c> got from the point-in-time endpoints on loopback.</summary>
public static partial class HttpLoad
{
    public static bool Available => File.Exists("/usr/bin/wrk");

    /// <summary>Runs wrk with two threads and <paramref name="connections"/> connections; null when wrk is not installed.</summary>
    public static async Task<double?> RequestsPerSecondAsync(Uri address, IReadOnlyList<string> paths, TimeSpan duration, int connections)
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

            var match = Rate().Match(output);
            return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException("wrk printed no rate:\n" + output);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex Rate();

    [GeneratedRegex(@"Non-2xx or 3xx responses: \d+")]
    private static partial Regex NonSuccess();
}
