using System.Net.Http.Json;
using System.Text.Json;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Observability;

/// <summary>The service as its own process with JSON logs: each line one JSON object, those of a request carrying its correlation id.</summary>
public sealed class JsonLogTests(PostgresServer postgres)
{
    [Fact]
    public async Task Json_log_lines_of_a_write_carry_its_correlation_id()
    {
        postgres.SkipIfUnavailable();
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Timeline"] = await postgres.CreateDatabaseAsync("timeline_logs"),
            ["Timeline__ApiKeys__0__Name"] = TimelineHost.KeyName,
            ["Timeline__ApiKeys__0__Key"] = TimelineHost.ApiKey,
            ["Timeline__Logging__Json"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
            // The endpoint middleware logs "Executing endpoint" inside the request, at Information.
            ["Logging__LogLevel__Microsoft.AspNetCore.Routing"] = "Information",
        };
        await using var service = await ServiceProcess.StartAsync(settings);
        using var client = new HttpClient { BaseAddress = service.Address };
        client.DefaultRequestHeaders.Add("X-Api-Key", TimelineHost.ApiKey);
        var correlationId = $"logs-{Guid.NewGuid():N}";
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/policies"))
        {
            request.Headers.Add("X-Correlation-Id", correlationId);
            request.Content = JsonContent.Create(Scenarios.Issue("logged-eo", "2024-01-01"), options: TimelineApp.Json);
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        JsonElement? tagged = null;
        await Eventually.HoldsAsync(
            () =>
            {
                tagged = service.Lines().Where(line => line.StartsWith('{')).Select(Parse)
                    .FirstOrDefault(entry => Scopes(entry).Any(scope => scope.TryGetProperty("CorrelationId", out var id) && id.GetString() == correlationId));
                return tagged is not null;
            },
            TimeSpan.FromSeconds(20),
            () => $"no JSON log line with CorrelationId {correlationId}:\n{service.Output()}");

        Assert.Equal("Information", tagged!.Value.GetProperty("LogLevel").GetString());
        Assert.StartsWith("Microsoft.AspNetCore.Routing", tagged.Value.GetProperty("Category").GetString(), StringComparison.Ordinal);
        Assert.Contains(Scopes(tagged.Value), scope => scope.TryGetProperty("TraceId", out _));
        // Every line on stdout is JSON: nothing plain-text for a collector to trip over.
        Assert.All(service.Lines().Where(line => line.Length > 0), line => Parse(line));
    }

    private static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement;

    private static IEnumerable<JsonElement> Scopes(JsonElement entry) =>
        entry.TryGetProperty("Scopes", out var scopes) ? scopes.EnumerateArray() : [];
}
