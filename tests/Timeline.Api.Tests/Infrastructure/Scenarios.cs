using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Timeline.Api.Tests.Infrastructure;

/// <summary>Reusable steps for building a record through the API and reading it back, in the contract's terms.</summary>
public static class Scenarios
{
    /// <summary>A minimal valid issue body, with any fields overridden.</summary>
    public static Dictionary<string, object?> Issue(string id, string effectiveAt, params (string Field, object? Value)[] fields)
    {
        var body = new Dictionary<string, object?>
        {
            ["id"] = id,
            ["kind"] = "executive-order",
            ["title"] = $"Instrument {id}",
            ["jurisdiction"] = "US",
            ["topics"] = new[] { "ai" },
            ["effectiveAt"] = effectiveAt,
        };
        foreach (var (field, value) in fields)
        {
            body[field] = value;
        }

        return body;
    }

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body, TimelineApp.Json, TestContext.Current.CancellationToken);

    /// <summary>Posts a write that must succeed and returns its answer (eventIds, version, recordedAt).</summary>
    public static async Task<WriteAnswer> WriteAsync(this HttpClient client, string path, object body)
    {
        using var response = await client.PostAsync(path, body);
        var json = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {json}");
        return new WriteAnswer(
            json.Text("policyId"),
            [.. json.GetProperty("eventIds").EnumerateArray().Select(e => e.GetGuid())],
            json.GetProperty("version").GetInt64(),
            json.GetProperty("recordedAt").GetDateTimeOffset());
    }

    /// <summary>One item of <c>POST /api/batches</c>: the write's kind, its instrument (none for an issue) and its body.</summary>
    public static object BatchItem(string write, string? policyId, object body, string? idempotencyKey = null) =>
        new { write, policyId, body, idempotencyKey };

    /// <summary>Posts a batch that must be written and returns its answer (events, items).</summary>
    public static async Task<JsonElement> WriteBatchAsync(this HttpClient client, IEnumerable<object> items)
    {
        using var response = await client.PostAsync("/api/batches", new { items });
        var json = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/batches answered {(int)response.StatusCode}: {json}");
        return json;
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == expected, $"GET {path} answered {(int)response.StatusCode}, expected {(int)expected}: {json}");
        return json;
    }

    /// <summary>The instrument at <paramref name="at"/> as of <paramref name="asOf"/>.</summary>
    public static Task<JsonElement> StateAsync(this HttpClient client, string id, string at, DateTimeOffset? asOf = null) =>
        client.GetJsonAsync($"/api/policies/{id}?at={Uri.EscapeDataString(at)}{AsOf(asOf)}");

    public static string AsOf(DateTimeOffset? asOf) =>
        asOf is null ? string.Empty : "&asOf=" + Uri.EscapeDataString(Instant(asOf.Value));

    /// <summary>An instant in RFC 3339 with every microsecond, as query parameters want it.</summary>
    public static string Instant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The instant just before a record time: the record as it stood before that write.</summary>
    public static DateTimeOffset Before(DateTimeOffset recordedAt) => recordedAt.AddTicks(-TimeSpan.TicksPerMicrosecond);

    public static string Status(this JsonElement policy) => policy.Text("status");

    public static JsonElement Provision(this JsonElement policy, string key) => policy.GetProperty("provisions").GetProperty(key);

    public static bool HasProvision(this JsonElement policy, string key) => policy.GetProperty("provisions").TryGetProperty(key, out _);
}

/// <summary>What a successful write answered.</summary>
public sealed record WriteAnswer(string PolicyId, IReadOnlyList<Guid> EventIds, long Version, DateTimeOffset RecordedAt);
