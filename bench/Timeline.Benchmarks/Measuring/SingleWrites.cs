using System.Diagnostics;
using System.Net.Http.Json;

namespace Timeline.Benchmarks.Measuring;

/// <summary>Single writes over HTTP, one at a time: half new instruments, half amendments to them.</summary>
public static class SingleWrites
{
    public static async Task<Percentiles> RunAsync(HttpClient http, int count)
    {
        ArgumentNullException.ThrowIfNull(http);
        var run = Guid.NewGuid().ToString("N")[..8];
        var sample = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var id = $"us-single-{run}-{i / 2}";
            object body = i % 2 == 0
                ? new { id, kind = "rule", title = $"Single write {i}", jurisdiction = "US", topics = new[] { "export-controls" }, effectiveAt = "2024-01-01" }
                : new { effectiveAt = "2024-03-01", set = new Dictionary<string, int> { ["fee"] = i } };
            var path = i % 2 == 0 ? "/api/policies" : $"/api/policies/{id}/amendments";
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsJsonAsync(path, body);
            await response.Content.ReadAsByteArrayAsync();
            sample.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        return Percentiles.Of(sample.Skip(Math.Min(10, count / 10)));
    }
}
