using System.Text.Json.Nodes;

namespace Timeline.Api.Tests.Deployment;

/// <summary>
/// What <c>kubectl kustomize deploy/k8s</c> renders, for the features deploy/k8s uses: its resources, its namespace on
/// every namespaced object, its labels, and its image rewrites. No kubectl here: Debian 12 does not package it, and the
/// test must run offline. Anything else in kustomization.yaml fails the test, so it cannot be silently ignored.
/// </summary>
public sealed class Kustomization
{
    private static readonly HashSet<string> Understood = ["apiVersion", "kind", "namespace", "labels", "resources", "images"];
    private static readonly HashSet<string> ClusterScoped = ["Namespace", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "StorageClass"];

    private Kustomization(JsonObject file, IReadOnlyList<JsonObject> objects)
    {
        File = file;
        Objects = objects;
    }

    public JsonObject File { get; }

    /// <summary>The rendered objects.</summary>
    public IReadOnlyList<JsonObject> Objects { get; }

    /// <summary>image name in the manifests -> newName:newTag.</summary>
    public IReadOnlyDictionary<string, string> Images =>
        (File["images"]?.AsArray() ?? []).ToDictionary(i => (string)i!["name"]!, i => $"{(string?)i!["newName"] ?? (string)i["name"]!}:{(string)i["newTag"]!}");

    public static Kustomization Render(string directory)
    {
        var file = YamlDocuments.Load(Path.Combine(directory, "kustomization.yaml")).Single();
        var unknown = file.Select(p => p.Key).Where(key => !Understood.Contains(key)).ToList();
        Assert.True(unknown.Count == 0, $"kustomization.yaml uses {string.Join(", ", unknown)}, which this renderer does not apply");

        var objects = new List<JsonObject>();
        foreach (var resource in file["resources"]!.AsArray().Select(r => (string)r!))
        {
            objects.AddRange(YamlDocuments.Load(Path.Combine(directory, resource)));
        }

        var rendered = new Kustomization(file, objects);
        foreach (var item in objects)
        {
            var metadata = item["metadata"]!.AsObject();
            if (file["namespace"] is { } ns && !ClusterScoped.Contains((string)item["kind"]!))
            {
                metadata["namespace"] = (string)ns!;
            }

            foreach (var pairs in (file["labels"]?.AsArray() ?? []).Select(l => l!["pairs"]!.AsObject()))
            {
                var labels = metadata["labels"] as JsonObject ?? (JsonObject)(metadata["labels"] = new JsonObject());
                foreach (var (key, value) in pairs)
                {
                    labels[key] = value!.DeepClone();
                }
            }

            foreach (var container in Containers(item))
            {
                if (rendered.Images.TryGetValue((string)container["image"]!, out var image))
                {
                    container["image"] = image;
                }
            }
        }

        return rendered;
    }

    /// <summary>The containers of a Deployment's or a Job's pod template.</summary>
    public static IEnumerable<JsonObject> Containers(JsonObject item) => PodSpec(item)?["containers"]?.AsArray().Select(c => c!.AsObject()) ?? [];

    public static JsonObject? PodSpec(JsonObject item) => item["spec"]?["template"]?["spec"]?.AsObject();

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => (string)o["kind"]! == kind);

    public JsonObject Named(string kind, string name) =>
        OfKind(kind).SingleOrDefault(o => (string)o["metadata"]!["name"]! == name) ?? throw new InvalidOperationException($"no {kind} named {name}");
}
