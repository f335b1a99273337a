using System.CommandLine;
using Timeline.Dataset.Loading;

namespace Timeline.Cli;

/// <summary>The options that name a running service and the key to write with, shared by every command that writes.</summary>
internal sealed class ServiceConnection
{
    public const string KeyVariable = "TIMELINE_API_KEY";
    public const string DefaultUrl = "http://localhost:5080";

    // The key the embedded default generates, saved where `dotnet run` was started.
    private static readonly string GeneratedKeyFile = Path.Combine(".timeline", "api-key");

    public Option<string> Url { get; } = CreateUrlOption();

    public Option<string?> Key { get; } = new("--key")
    {
        Description = $"An API key that may write; default ${KeyVariable}, else {GeneratedKeyFile} (the embedded default's key).",
    };

    private static Option<string> CreateUrlOption()
    {
        var url = new Option<string>("--url")
        {
            Description = $"The service's address (default {DefaultUrl}).",
            DefaultValueFactory = _ => DefaultUrl,
        };
        url.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                result.AddError($"--url '{value}' is not an http or https address such as {DefaultUrl}");
            }
        });
        return url;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(Key);
    }

    /// <summary>A client for the service, or null (with the reason written) when no key can be found.</summary>
    public HttpClient? CreateClient(ParseResult parse, TextWriter error)
    {
        var key = parse.GetValue(Key) ?? Environment.GetEnvironmentVariable(KeyVariable)
            ?? (File.Exists(GeneratedKeyFile) ? File.ReadAllText(GeneratedKeyFile).Trim() : null);
        if (string.IsNullOrWhiteSpace(key))
        {
            error.WriteLine($"No API key: pass --key, set {KeyVariable}, or run where {GeneratedKeyFile} exists.");
            return null;
        }

        var client = new HttpClient { BaseAddress = new Uri(parse.GetValue(Url)!.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add(TimelineHttpClient.ApiKeyHeader, key);
        return client;
    }
}
