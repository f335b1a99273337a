using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Deployment;

/// <summary>The paths the manifests probe and scrape are served by the running service.</summary>
public sealed class ProbePathsTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task Every_probed_and_scraped_path_answers_200()
    {
        var k8s = Kustomization.Render(Path.Combine(PublishedSchemas.RepositoryRoot, "deploy", "k8s"));
        var api = k8s.Named("Deployment", "timeline");
        var container = Kustomization.Containers(api).Single();
        var paths = new[] { "livenessProbe", "readinessProbe", "startupProbe" }.Select(probe => (string)container[probe]!["httpGet"]!["path"]!)
            .Append((string)api["spec"]!["template"]!["metadata"]!["annotations"]!["prometheus.io/path"]!)
            .Distinct()
            .ToList();
        Assert.Equal(3, paths.Count);
        foreach (var path in paths)
        {
            using var response = await App.Anonymous.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}");
        }
    }
}
