using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Marten.Events.Daemon.Coordination;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Timeline.Contracts;

namespace Timeline.Benchmarks.Notifications;

/// <summary>
/// Timeline as <c>dotnet run</c> starts it (its own PostgreSQL from the machine's binaries, fsync on), in this process,
/// with a consumer: on the service's own bus in memory, or a separate RabbitMQ client bound to the exchange by <c>#</c>.
/// </summary>
internal sealed class NotificationHost : IAsyncDisposable
{
    private const string ApiKey = "bench-key-0123456789";

    private readonly WebApplicationFactory<Program> _factory;
    private readonly IBusControl? _consumerBus;
    private readonly HostReceiveEndpointHandle? _memoryEndpoint;

    private NotificationHost(WebApplicationFactory<Program> factory, IBusControl? consumerBus, HostReceiveEndpointHandle? memoryEndpoint, HttpClient client)
    {
        _factory = factory;
        _consumerBus = consumerBus;
        _memoryEndpoint = memoryEndpoint;
        Client = client;
    }

    public HttpClient Client { get; }

    /// <summary>When the consumer received each event id (wall clock).</summary>
    public static ConcurrentDictionary<Guid, DateTimeOffset> Received { get; } = new();

    public static async Task<NotificationHost> StartAsync(string dataDirectory, Uri? rabbitMq)
    {
        if (rabbitMq is not null)
        {
            // The consumer's queue exists before anything is published, as a real subscriber's does.
            var consumerBus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
            {
                rabbit.Host(rabbitMq);
                rabbit.ReceiveEndpoint($"bench-{Guid.NewGuid():N}", endpoint =>
                {
                    endpoint.ConfigureConsumeTopology = false;
                    endpoint.AutoDelete = true;
                    endpoint.Durable = false;
                    endpoint.PrefetchCount = 500;
                    endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
                    endpoint.Bind(TimelineTopology.PolicyChangedExchange, binding =>
                    {
                        binding.ExchangeType = RabbitMQ.Client.ExchangeType.Topic;
                        binding.RoutingKey = "#";
                    });
                    endpoint.Handler<PolicyChanged>(Record);
                });
            });
            await consumerBus.StartAsync();
            var factory = Factory(dataDirectory, rabbitMq);
            return new NotificationHost(factory, consumerBus, null, Writer(factory));
        }

        var memory = Factory(dataDirectory, null);
        var client = Writer(memory);
        var bus = memory.Services.GetRequiredService<IBus>();
        var handle = bus.ConnectReceiveEndpoint("bench", endpoint => endpoint.Handler<PolicyChanged>(Record));
        await handle.Ready;
        return new NotificationHost(memory, null, handle, client);
    }

    public IProjectionCoordinator Daemon => _factory.Services.GetRequiredService<IProjectionCoordinator>();

    public async Task<(Guid EventId, DateTimeOffset RecordedAt)> WriteAsync(string path, object body)
    {
        using var response = await Client.PostAsJsonAsync(path, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {json}");
        }

        return (json.GetProperty("eventIds")[0].GetGuid(), json.GetProperty("recordedAt").GetDateTimeOffset());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_memoryEndpoint is not null)
        {
            await _memoryEndpoint.StopAsync();
        }

        await _factory.DisposeAsync();
        if (_consumerBus is not null)
        {
            await _consumerBus.StopAsync();
        }
    }

    private static Task Record(ConsumeContext<PolicyChanged> context)
    {
        Received.TryAdd(context.Message.EventId, DateTimeOffset.UtcNow);
        return Task.CompletedTask;
    }

    private static WebApplicationFactory<Program> Factory(string dataDirectory, Uri? rabbitMq) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("Timeline:EmbeddedPostgres:DataDirectory", dataDirectory);
            host.UseSetting("Timeline:ApiKeys:0:Name", "bench");
            host.UseSetting("Timeline:ApiKeys:0:Key", ApiKey);
            // Latency is measured at a steady write rate above the default per-key budget.
            host.UseSetting("Timeline:RateLimits:Writes:PerMinute", "0");
            host.UseSetting("Logging:LogLevel:Default", "Warning");
            host.UseSetting("Logging:LogLevel:Timeline.Api.Database.EmbeddedPostgres", "Warning");
            if (rabbitMq is not null)
            {
                host.UseSetting("Timeline:Bus:RabbitMq", rabbitMq.ToString());
            }
        });

    private static HttpClient Writer(WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }
}
