using System.CommandLine;

namespace Timeline.Cli.Service;

/// <summary>
/// The options every command that talks to the service shares, on the root command and recursive so they go anywhere
/// on the line: which service (<c>--server</c>, also <c>--url</c>) and the key to write with.
/// </summary>
internal sealed class ServiceOptions
{
    public const string KeyVariable = "TIMELINE_API_KEY";
    public const string DefaultServer = "http://localhost:5080";

    // The key the embedded default generates, saved in the folder where `dotnet run --project src/Timeline.Api` was started.
    public static readonly string GeneratedKeyFile = Path.Combine(".timeline", "api-key");

    public Option<string> Server { get; } = CreateServerOption();

    public Option<string?> Key { get; } = new("--key")
    {
        Description = $"An API key that may write; default ${KeyVariable}, else {GeneratedKeyFile} (the embedded default's key).",
        Recursive = true,
    };

    private static Option<string> CreateServerOption()
    {
        var server = new Option<string>("--server", "--url")
        {
            Description = "The service's address.",
            DefaultValueFactory = _ => DefaultServer,
            Recursive = true,
        };
        server.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                result.AddError($"--server '{value}' is not an http or https address such as {DefaultServer}");
            }
        });
        return server;
    }

    public void AddTo(Command root)
    {
        root.Options.Add(Server);
        root.Options.Add(Key);
    }

    /// <summary>A client for the service; with <paramref name="write"/>, one that carries the key, or a usage error that says where to put one.</summary>
    public ServiceClient Connect(ParseResult parse, CliEnvironment environment, bool write)
    {
        var server = new Uri(parse.GetValue(Server)!.TrimEnd('/') + "/");
        var key = write ? FindKey(parse, environment) : null;
        var handler = environment.CreateHandler?.Invoke() ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) };
        var http = new HttpClient(handler, disposeHandler: true) { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add(Timeline.Dataset.Loading.TimelineHttpClient.ApiKeyHeader, key);
        }

        return new ServiceClient(http, server);
    }

    private string FindKey(ParseResult parse, CliEnvironment environment)
    {
        var keyFile = Path.Combine(environment.WorkingDirectory, GeneratedKeyFile);
        var key = parse.GetValue(Key) ?? environment.Variable(KeyVariable) ?? (File.Exists(keyFile) ? File.ReadAllText(keyFile).Trim() : null);
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new UsageException(
                $"No API key to write with. Set {KeyVariable} to one of the service's keys (export {KeyVariable}=<key>), or pass --key <key>. "
                + $"A service started with `dotnet run --project src/Timeline.Api` and no key configured makes one and saves it to {GeneratedKeyFile} "
                + $"in the folder it was started from: run timeline there, or {KeyVariable}=$(cat <that folder>/{GeneratedKeyFile}). Looked for {keyFile}.");
        }

        return key;
    }
}
