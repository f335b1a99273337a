using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Timeline.Dataset.Requests;

namespace Timeline.Dataset.Loading;

/// <summary>One event of an instrument's history, as the loaders need it.</summary>
public sealed record HistoryEntry(string? CorrelationId, string? Citation);

/// <summary>What the service answered to a write.</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="EventCount">How many events it recorded (a replay recorded none now).</param>
/// <param name="Replayed">Answered from an earlier request with the same idempotency key.</param>
/// <param name="Problem">The problem's title and detail when it was refused.</param>
public sealed record PostAnswer(HttpStatusCode Status, int EventCount, bool Replayed, string? Problem)
{
    public bool Succeeded => Problem is null;
}

/// <summary>
/// The service's HTTP API as the loaders use it: writes with an idempotency key and a correlation id, and
/// the correlation ids and citations of an instrument's history. The caller's <see cref="HttpClient"/> carries the base
/// address and the API key.
/// </summary>
public sealed class TimelineHttpClient(HttpClient client)
{
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>How often a write refused for the caller's rate limit (429) is sent again, after the Retry-After it names.</summary>
    private const int RateLimitedAttempts = 10;

    public async Task<PostAnswer> PostAsync(WriteRequest write, string idempotencyKey, string correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, write.Path.TrimStart('/'))
            {
                Content = new StringContent(write.Body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            request.Headers.Add("X-Correlation-Id", correlationId);
            using var response = await client.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < RateLimitedAttempts)
            {
                // Nothing was written; the same idempotency key keeps the retry safe.
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                await Task.Delay(wait > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : wait, cancellationToken);
                continue;
            }

            var json = await ReadJsonAsync(response, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new PostAnswer(response.StatusCode, 0, false, DescribeProblem(response, json));
            }

            var events = json is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("eventIds", out var ids) ? ids.GetArrayLength() : 0;
            return new PostAnswer(response.StatusCode, events, response.Headers.Contains("Idempotent-Replayed"), null);
        }
    }

    /// <summary>An instrument's events (their correlation ids and citations), or null when the service holds no such instrument.</summary>
    /// <exception cref="HttpRequestException">The service answered something other than the history or 404.</exception>
    public async Task<IReadOnlyList<HistoryEntry>?> HistoryAsync(string policyId, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync($"api/policies/{Uri.EscapeDataString(policyId)}/history", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var json = await ReadJsonAsync(response, cancellationToken);
        if (!response.IsSuccessStatusCode || json is not { ValueKind: JsonValueKind.Object } history)
        {
            throw new HttpRequestException($"GET the history of '{policyId}' answered {DescribeProblem(response, json)}");
        }

        return [.. history.GetProperty("events").EnumerateArray().Select(e => new HistoryEntry(
            Text(e, "correlationId"),
            e.TryGetProperty("data", out var data) ? Text(data, "citation") : null))];
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<JsonElement?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null || !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    private static string DescribeProblem(HttpResponseMessage response, JsonElement? json)
    {
        if (json is not { ValueKind: JsonValueKind.Object } problem)
        {
            return $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }

        var text = new StringBuilder($"{(int)response.StatusCode}");
        foreach (var field in new[] { "title", "detail" })
        {
            if (problem.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
            {
                text.Append(": ").Append(value.GetString());
            }
        }

        if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            text.Append(' ').Append(string.Join("; ", errors.EnumerateObject().Select(e => $"{e.Name}: {string.Join(", ", e.Value.EnumerateArray().Select(m => m.GetString()))}")));
        }

        return text.ToString();
    }
}
