namespace Timeline.Api.Http;

/// <summary>
/// <c>Timeline.Api --health-probe [url]</c>: asks a running instance whether it is ready and exits 0 or 1.
/// Container images have no curl; the service can check itself.
/// </summary>
public static class HealthProbe
{
    public const string Flag = "--health-probe";

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var url = args.SkipWhile(arg => arg != Flag).Skip(1).FirstOrDefault() ?? "http://127.0.0.1:8080/health/ready";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(new Uri(url));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"{url}: {exception.Message}");
            return 1;
        }
    }
}
