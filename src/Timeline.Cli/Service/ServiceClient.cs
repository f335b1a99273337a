using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Timeline.Cli.Service;

/// <summary>An answer of the API: its JSON as sent (for <c>--json</c>) and parsed (for tables).</summary>
internal sealed record ApiAnswer(HttpStatusCode Status, string Text, JsonElement Json, bool Replayed);

/// <summary>
/// The HTTP API as the commands use it: every failure becomes the exception of its exit code, so each command
/// only handles the answer it wants.
/// </summary>
internal sealed class ServiceClient(HttpClient http, Uri server) : IDisposable
{
    /// <summary>How long a request may take before the service counts as unreachable (not the change stream).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public Uri Server { get; } = server;

    /// <summary>The client underneath, with the base address and (for writes) the key: for the dataset loader and the importer.</summary>
    public HttpClient Http => http;

    public Task<ApiAnswer> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<ApiAnswer> PostAsync(string path, JsonObject body, string? ifMatch, string? idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }

            if (idempotencyKey is not null)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            }

            return request;
        }, cancellationToken);

    /// <summary>Opens a long-lived response (the change stream): the headers are read, the body is the caller's to read.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(RequestTimeout);
            response = await Send(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token, cancellationToken);
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                throw Failure(response, text);
            }
        }

        return response;
    }

    public void Dispose() => http.Dispose();

    private async Task<ApiAnswer> SendAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        using var request = create();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestTimeout);
        using var response = await Send(request, HttpCompletionOption.ResponseContentRead, deadline.Token, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response, text);
        }

        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true || TryParse(text) is not { } json)
        {
            throw new ServiceFailedException(
                $"{Server} answered {request.RequestUri} with something other than the Timeline API's JSON ({response.Content.Headers.ContentType?.MediaType ?? "no content type"}): is --server the Timeline service?");
        }

        return new ApiAnswer(response.StatusCode, text, json, response.Headers.Contains("Idempotent-Replayed"));
    }

    private async Task<HttpResponseMessage> Send(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken deadline, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, completion, deadline);
        }
        catch (HttpRequestException exception) when (exception.StatusCode is null)
        {
            throw new ServiceUnreachableException(Server, exception.InnerException?.Message ?? exception.Message, exception);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServiceUnreachableException(Server, $"no answer within {RequestTimeout.TotalSeconds:F0} s", exception);
        }
    }

    private Exception Failure(HttpResponseMessage response, string text)
    {
        var problem = TryParse(text) is { ValueKind: JsonValueKind.Object } json ? json : (JsonElement?)null;
        if ((int)response.StatusCode >= 500)
        {
            var detail = problem is { } p && p.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return new ServiceFailedException($"The service at {Server} failed: {(int)response.StatusCode} {response.ReasonPhrase}{(detail is null ? "" : ": " + detail)}. Its log says why.");
        }

        return new ServiceRefusedException(response.StatusCode, problem, response.ReasonPhrase ?? response.StatusCode.ToString());
    }

    private static JsonElement? TryParse(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
