using Testcontainers.RabbitMq;
using Timeline.Api.Database.EmbeddedPostgres;
using Timeline.Api.Tests.Infrastructure;
using Timeline.Testing;

[assembly: AssemblyFixture(typeof(RabbitMqBroker))]

namespace Timeline.Api.Tests.Infrastructure;

/// <summary>A broker a test may stop and start again (an outage), on the same address.</summary>
public interface IControllableBroker : IAsyncDisposable
{
    Uri Uri { get; }

    Task StopAsync(CancellationToken cancellationToken);

    Task StartAsync(CancellationToken cancellationToken);
}

/// <summary>
/// RabbitMQ for the tests that need it, started on first use (a node takes seconds), from the first of: the
/// <c>TIMELINE_TEST_RABBITMQ</c> URI; a Testcontainers container when a Docker engine answers; a throwaway node from
/// the machine's <c>rabbitmq-server</c>. Tests share it and keep apart by routing keys (topics unique to each test).
/// A test that takes the broker down gets a private one instead (<see cref="PrivateAsync"/>).
/// </summary>
public sealed class RabbitMqBroker : IAsyncLifetime
{
    public const string UriVariable = "TIMELINE_TEST_RABBITMQ";

    private const string Image = "rabbitmq:3.13-alpine";
    private static readonly TimeSpan DockerTimeout = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<IAsyncDisposable> _started = [];
    private Uri? _shared;
    private bool? _docker;

    /// <summary>Where the shared broker came from, for the test log.</summary>
    public string Source { get; private set; } = "not started";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>The shared broker. Skips the calling test when there is none (fails it on CI).</summary>
    public async Task<Uri> SharedAsync()
    {
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_shared is null)
            {
                if (Environment.GetEnvironmentVariable(UriVariable) is { Length: > 0 } configured)
                {
                    _shared = new Uri(configured);
                    Source = $"{UriVariable} ({_shared.Host}:{_shared.Port})";
                }
                else
                {
                    var broker = await StartBrokerAsync($"No RabbitMQ: {UriVariable} is not set, no Docker engine answers, and rabbitmq-server is not installed.");
                    _shared = broker.Uri;
                }

                TestContext.Current.SendDiagnosticMessage($"RabbitMQ for the tests: {Source}");
            }

            return _shared;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A broker for one test alone, which it may stop and start; never the configured one, which the tests cannot control.</summary>
    public async Task<IControllableBroker> PrivateAsync()
    {
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return await StartBrokerAsync(
                "No broker this test may stop: no Docker engine answers and rabbitmq-server is not installed (a broker given by "
                + $"{UriVariable} is never stopped by the tests).");
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var broker in _started)
        {
            await broker.DisposeAsync();
        }

        _gate.Dispose();
    }

    private async Task<IControllableBroker> StartBrokerAsync(string unavailable)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _docker ??= await DockerEngine.AnswersAsync(DockerTimeout, cancellationToken);
        IControllableBroker broker;
        if (_docker.Value)
        {
            broker = await ContainerBroker.CreateAsync(cancellationToken);
            Source = $"a Testcontainers {Image} container";
        }
        else if (LocalRabbitMqNode.FindServer() is { } server)
        {
            broker = new NodeBroker(await LocalRabbitMqNode.StartAsync(server, cancellationToken));
            Source = $"a throwaway node from {server}";
        }
        else
        {
            RabbitMqRequirement.Unavailable(unavailable);
            return null!;
        }

        _started.Add(broker);
        return broker;
    }

    private sealed class NodeBroker(LocalRabbitMqNode node) : IControllableBroker
    {
        public Uri Uri => node.Uri;

        public Task StopAsync(CancellationToken cancellationToken) => node.StopAsync(cancellationToken);

        public Task StartAsync(CancellationToken cancellationToken) => node.StartAgainAsync(cancellationToken);

        public ValueTask DisposeAsync() => node.DisposeAsync();
    }

    /// <summary>A container on a fixed host port, so that it comes back on the same address after a stop.</summary>
    private sealed class ContainerBroker(RabbitMqContainer container, Uri uri) : IControllableBroker
    {
        public Uri Uri => uri;

        public static async Task<ContainerBroker> CreateAsync(CancellationToken cancellationToken)
        {
            var port = FreeTcpPort.OnLoopback();
            var container = new RabbitMqBuilder(Image).WithPortBinding(port, RabbitMqBuilder.RabbitMqPort).Build();
            await container.StartAsync(cancellationToken);
            var uri = new UriBuilder(container.GetConnectionString()) { Host = "127.0.0.1", Port = port }.Uri;
            return new ContainerBroker(container, uri);
        }

        public Task StopAsync(CancellationToken cancellationToken) => container.StopAsync(cancellationToken);

        public Task StartAsync(CancellationToken cancellationToken) => container.StartAsync(cancellationToken);

        public ValueTask DisposeAsync() => container.DisposeAsync();
    }
}
