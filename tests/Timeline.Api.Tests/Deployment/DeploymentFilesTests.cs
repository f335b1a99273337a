using System.Text.Json.Nodes;
using Timeline.Api.Audit;
using Timeline.Api.Auth;
using Timeline.Api.Database;
using Timeline.Api.Dataset;
using Timeline.Api.Http;
using Timeline.Api.Notifications;
using Timeline.Api.Observability;
using Timeline.Subscriber;

namespace Timeline.Api.Tests.Deployment;

/// <summary>
/// docker-compose.yml and deploy/k8s, checked offline: against their published schemas, and against each other and
/// the service (every referenced Secret key, ConfigMap, label selector and image exists; every environment variable
/// is a setting the service or the subscriber reads; the commands are the service's own flags).
/// </summary>
public sealed class DeploymentFilesTests
{
    private static string Root => PublishedSchemas.RepositoryRoot;

    private static Kustomization K8s => Kustomization.Render(Path.Combine(Root, "deploy", "k8s"));

    private static JsonObject Compose => YamlDocuments.Load(Path.Combine(Root, "docker-compose.yml")).Single();

    [Fact]
    public void The_compose_file_is_valid_against_the_compose_specification()
    {
        var errors = PublishedSchemas.ComposeErrors(Compose);
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Fact]
    public async Task Every_rendered_kubernetes_object_is_valid_against_the_kubernetes_schemas()
    {
        var k8s = K8s;
        var results = await PublishedSchemas.KubernetesErrorsAsync(k8s.Objects);
        Assert.Equal(k8s.Objects.Count, results.Count);
        var invalid = results.Where(r => r.Value.Count > 0).Select(r => $"{r.Key}: {string.Join("; ", r.Value)}").ToList();
        Assert.True(invalid.Count == 0, string.Join('\n', invalid));
        Assert.Equal(
            ["ConfigMap", "Deployment", "Deployment", "HorizontalPodAutoscaler", "Job", "Namespace", "PersistentVolumeClaim", "PodDisruptionBudget", "Secret", "Service"],
            k8s.Objects.Select(o => (string)o["kind"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_schema_violation_is_reported()
    {
        var compose = Compose;
        compose["services"]!["timeline"]!["deploy"]!["replicas"] = "two";
        Assert.NotEmpty(PublishedSchemas.ComposeErrors(compose));
    }

    [Fact]
    public async Task A_kubernetes_schema_violation_is_reported()
    {
        var deployment = K8s.Named("Deployment", "timeline");
        Kustomization.Containers(deployment).First()["ports"]![0]!["containerPort"] = "http";
        var results = await PublishedSchemas.KubernetesErrorsAsync([deployment]);
        Assert.NotEmpty(Assert.Single(results).Value);
    }

    [Fact]
    public void Secrets_config_maps_volumes_and_selectors_that_are_referenced_exist()
    {
        var k8s = K8s;
        foreach (var workload in k8s.OfKind("Deployment").Concat(k8s.OfKind("Job")))
        {
            var name = (string)workload["metadata"]!["name"]!;
            var pod = Kustomization.PodSpec(workload)!;
            foreach (var container in Kustomization.Containers(workload))
            {
                foreach (var reference in (container["envFrom"]?.AsArray() ?? []).Select(e => e!["configMapRef"]).OfType<JsonNode>())
                {
                    k8s.Named("ConfigMap", (string)reference["name"]!);
                }

                foreach (var secretRef in (container["env"]?.AsArray() ?? []).Select(e => e!["valueFrom"]?["secretKeyRef"]).OfType<JsonNode>())
                {
                    AssertSecretKey(k8s, (string)secretRef["name"]!, (string)secretRef["key"]!, $"{name} env");
                }

                var volumes = (pod["volumes"]?.AsArray() ?? []).Select(v => (string)v!["name"]!).ToHashSet();
                foreach (var mount in container["volumeMounts"]?.AsArray() ?? [])
                {
                    Assert.True(volumes.Contains((string)mount!["name"]!), $"{name} mounts {mount["name"]}, which is not a volume of its pod");
                }
            }

            foreach (var volume in pod["volumes"]?.AsArray() ?? [])
            {
                if (volume!["secret"] is { } secret)
                {
                    foreach (var item in secret["items"]?.AsArray() ?? [])
                    {
                        AssertSecretKey(k8s, (string)secret["secretName"]!, (string)item!["key"]!, $"{name} volume");
                    }
                }

                if (volume["persistentVolumeClaim"] is { } claim)
                {
                    k8s.Named("PersistentVolumeClaim", (string)claim["claimName"]!);
                }
            }

            var labels = workload["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
            if (workload["spec"]!["selector"]?["matchLabels"] is JsonObject selector)
            {
                AssertSelects(selector, labels, $"the selector of {name}");
            }
        }

        var api = k8s.Named("Deployment", "timeline");
        var apiLabels = api["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        AssertSelects(k8s.Named("Service", "timeline")["spec"]!["selector"]!.AsObject(), apiLabels, "the Service");
        AssertSelects(k8s.Named("PodDisruptionBudget", "timeline")["spec"]!["selector"]!["matchLabels"]!.AsObject(), apiLabels, "the PodDisruptionBudget");
        var target = k8s.Named("HorizontalPodAutoscaler", "timeline")["spec"]!["scaleTargetRef"]!;
        k8s.Named((string)target["kind"]!, (string)target["name"]!);

        // The Service's named target port and the scrape annotation are the container's port, which the image listens on.
        var apiContainer = Kustomization.Containers(api).Single();
        var port = apiContainer["ports"]!.AsArray().Single()!;
        Assert.Equal((string)k8s.Named("Service", "timeline")["spec"]!["ports"]![0]!["targetPort"]!, (string)port["name"]!);
        Assert.Equal(port["containerPort"]!.ToString(), (string)api["spec"]!["template"]!["metadata"]!["annotations"]!["prometheus.io/port"]!);
        Assert.Contains($"ASPNETCORE_URLS=http://+:{port["containerPort"]}", File.ReadAllText(Path.Combine(Root, "deploy", "Dockerfile")), StringComparison.Ordinal);
        Assert.Equal(ObservabilityHosting.MetricsPath, (string)api["spec"]!["template"]!["metadata"]!["annotations"]!["prometheus.io/path"]!);
    }

    [Fact]
    public void Pods_run_as_non_root_on_a_read_only_root_file_system_with_resources_and_the_probes_where_there_is_http()
    {
        var k8s = K8s;
        foreach (var workload in k8s.OfKind("Deployment").Concat(k8s.OfKind("Job")))
        {
            var name = (string)workload["metadata"]!["name"]!;
            Assert.True((bool?)Kustomization.PodSpec(workload)!["securityContext"]?["runAsNonRoot"] == true, $"{name} may run as root");
            foreach (var container in Kustomization.Containers(workload))
            {
                Assert.True((bool?)container["securityContext"]?["readOnlyRootFilesystem"] == true, $"{name} has a writable root file system");
                Assert.True((bool?)container["securityContext"]?["allowPrivilegeEscalation"] == false, $"{name} allows privilege escalation");
                Assert.NotNull(container["resources"]?["requests"]);
                Assert.NotNull(container["resources"]?["limits"]?["memory"]);
            }
        }

        var api = Kustomization.Containers(k8s.Named("Deployment", "timeline")).Single();
        Assert.Equal("/health/live", (string)api["livenessProbe"]!["httpGet"]!["path"]!);
        Assert.Equal("/health/ready", (string)api["readinessProbe"]!["httpGet"]!["path"]!);
        Assert.Equal("/health/ready", (string)api["startupProbe"]!["httpGet"]!["path"]!);
    }

    [Fact]
    public void Environment_variables_are_settings_the_service_or_the_subscriber_reads()
    {
        var k8s = K8s;
        var names = new List<(string Where, string Name)>();
        names.AddRange(k8s.OfKind("ConfigMap").SelectMany(c => c["data"]!.AsObject().Select(p => ("ConfigMap", p.Key))));
        foreach (var workload in k8s.OfKind("Deployment").Concat(k8s.OfKind("Job")))
        {
            names.AddRange(Kustomization.Containers(workload).SelectMany(c => c["env"]?.AsArray() ?? []).Select(e => ((string)workload["metadata"]!["name"]!, (string)e!["name"]!)));
        }

        foreach (var (service, definition) in Compose["services"]!.AsObject().Where(s => s.Key is "timeline" or "migrate" or "subscriber"))
        {
            names.AddRange(definition!["environment"]!.AsObject().Select(p => ($"compose {service}", p.Key)));
        }

        var unknown = names.Where(n => !IsSetting(n.Name)).Select(n => $"{n.Where}: {n.Name}").ToList();
        Assert.True(unknown.Count == 0, $"not settings Timeline reads: {string.Join(", ", unknown)}");
        Assert.Contains(names, n => n.Name == "Timeline__Bus__RabbitMq__Password");
    }

    [Fact]
    public void Images_commands_and_health_checks_name_what_exists()
    {
        var k8s = K8s;
        var images = k8s.Images;
        Assert.Equal(["timeline", "timeline-subscriber"], images.Keys.Order(StringComparer.Ordinal));
        var used = k8s.OfKind("Deployment").Concat(k8s.OfKind("Job")).SelectMany(Kustomization.Containers).Select(c => (string)c["image"]!).ToHashSet();
        Assert.Equal(images.Values.ToHashSet(), used);

        var services = Compose["services"]!.AsObject();
        Assert.Equal(images.Keys.Select(name => $"{name}:local").Order(StringComparer.Ordinal),
            services.Where(s => s.Value!["build"] is not null).Select(s => (string)s.Value!["image"]!).Order(StringComparer.Ordinal));
        foreach (var (name, definition) in services)
        {
            foreach (var dependency in definition!["depends_on"]?.AsObject() ?? [])
            {
                Assert.True(services.ContainsKey(dependency.Key), $"compose {name} depends on {dependency.Key}, which is not a service");
            }
        }

        Assert.Equal(2, (long)services["timeline"]!["deploy"]!["replicas"]!);
        Assert.Equal(SchemaCommand.Flag, (string)services["migrate"]!["command"]![0]!);
        Assert.Contains(HealthProbe.Flag, services["timeline"]!["healthcheck"]!["test"]!.AsArray().Select(t => (string)t!));
        Assert.Equal([SchemaCommand.Flag], Kustomization.Containers(k8s.Named("Job", "timeline-migrate")).Single()["args"]!.AsArray().Select(a => (string)a!));
        var dockerfile = File.ReadAllText(Path.Combine(Root, "deploy", "Dockerfile"));
        Assert.Contains($"\"{HealthProbe.Flag}\", \"http://127.0.0.1:8080/health/ready\"", dockerfile, StringComparison.Ordinal);
    }

    private static bool IsSetting(string environmentName)
    {
        if (environmentName.StartsWith("OTEL_", StringComparison.Ordinal) || environmentName == AuthSetup.KeyEnvironmentVariable)
        {
            return true;
        }

        var key = environmentName.Replace("__", ":", StringComparison.Ordinal);
        string[] exact =
        [
            EmbeddedPostgresKey, $"{RabbitMqConnection.Key}", TimelineHosting.LegalTimeZoneKey, DatasetOnStart.LoadOnStartKey, JsonLogs.Setting,
            CheckpointSigner.KeyFileSetting,
            .. new[] { "Host", "Port", "VirtualHost", "Username", "Password", "UseTls", "Uri" }.Select(part => $"{RabbitMqConnection.Key}:{part}"),
            .. Properties<TimelineStoreOptions>(TimelineStoreOptions.Section),
            .. Properties<NotificationOptions>(NotificationOptions.Section),
            .. Properties<SubscriberOptions>(SubscriberOptions.Section),
        ];
        if (exact.Contains(key, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        // Lists: Timeline:ApiKeys:0:Name, Subscriber:Bindings:0.
        var parts = key.Split(':');
        return (parts.Length == 4 && $"{parts[0]}:{parts[1]}" == AuthSetup.KeysSection && int.TryParse(parts[2], out _)
                && typeof(ApiKeyEntry).GetProperty(parts[3]) is not null)
            || (parts.Length == 3 && $"{parts[0]}:{parts[1]}" == $"{SubscriberOptions.Section}:{nameof(SubscriberOptions.Bindings)}" && int.TryParse(parts[2], out _));
    }

    private const string EmbeddedPostgresKey = $"ConnectionStrings:{TimelineStore.ConnectionStringName}";

    private static IEnumerable<string> Properties<T>(string section) =>
        typeof(T).GetProperties().Where(p => p.CanWrite).Select(p => $"{section}:{p.Name}");

    private static void AssertSecretKey(Kustomization k8s, string secret, string key, string where)
    {
        var data = k8s.Named("Secret", secret);
        var keys = (data["stringData"]?.AsObject() ?? []).Select(p => p.Key).Concat((data["data"]?.AsObject() ?? []).Select(p => p.Key));
        Assert.True(keys.Contains(key), $"{where} reads key {key} of Secret {secret}, which has none");
    }

    private static void AssertSelects(JsonObject selector, JsonObject labels, string what)
    {
        foreach (var (key, value) in selector)
        {
            Assert.True((string?)labels[key] == (string?)value, $"{what} selects {key}={value}, which the pods do not carry");
        }
    }
}
