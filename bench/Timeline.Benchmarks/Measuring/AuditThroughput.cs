using System.Diagnostics;
using System.Text.Json;

namespace Timeline.Benchmarks.Measuring;

/// <summary>The audit log streamed and the chain verified over HTTP, in events per second (moved from the former AuditBench).</summary>
public static class AuditThroughput
{
    public static async Task<(double StreamPerSecond, double VerifyPerSecond)> RunAsync(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var streaming = Stopwatch.StartNew();
        long lines = 0;
        using (var response = await http.GetAsync(new Uri("/api/audit/log", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead))
        {
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
            }
        }

        var streamRate = lines / streaming.Elapsed.TotalSeconds;
        var verifying = Stopwatch.StartNew();
        using var verified = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/audit/verify", UriKind.Relative)));
        var seconds = verifying.Elapsed.TotalSeconds;
        if (!verified.RootElement.GetProperty("ok").GetBoolean())
        {
            throw new InvalidOperationException($"The audit chain does not verify: {verified.RootElement}");
        }

        return (streamRate, verified.RootElement.GetProperty("events").GetInt64() / seconds);
    }
}
