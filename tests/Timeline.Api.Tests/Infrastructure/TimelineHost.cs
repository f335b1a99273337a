using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Timeline.Api.Tests.Infrastructure;

/// <summary>
/// The service through the real HTTP pipeline (TestServer) on a database the caller names, with a clock and extra
/// settings: what <see cref="TimelineApp"/> runs per test class, and what a test that restarts the service or
/// points it at a broker starts itself. Everything it publishes is recorded in <see cref="Published"/>, from the
/// first message on.
/// </summary>
public sealed class TimelineHost : IAsyncDisposable
{
    public const string ApiKey = "test-key-0123456789";
    public const string KeyName = "tests";

    private readonly WebApplicationFactory<Program> _factory;

    private TimelineHost(WebApplicationFactory<Program> factory, Uri? address)
    {
        _factory = factory;
        Address = address;
        Anonymous = address is null ? factory.CreateClient() : new HttpClient { BaseAddress = address };
        Writer = address is null ? factory.CreateClient() : new HttpClient { BaseAddress = address };
        Writer.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    /// <summary>Where the service listens on a real socket (a browser can reach it); null on the in-memory TestServer.</summary>
    public Uri? Address { get; }

    /// <summary>A client that writes with a valid key.</summary>
    public HttpClient Writer { get; }

    /// <summary>A client with no key.</summary>
    public HttpClient Anonymous { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>Another client, writing with <paramref name="apiKey"/> when one is given; the caller disposes it.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = _factory.CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    public PublishRecorder Published => Services.GetRequiredService<PublishRecorder>();

    /// <summary>A handler into the in-process server, for clients built elsewhere (the command line's).</summary>
    public HttpMessageHandler CreateHandler() => _factory.Server.CreateHandler();

    /// <summary>
    /// Starts the service (its hosted services included) and returns once it answers: on the in-memory TestServer, or
    /// on Kestrel at <paramref name="listenOn"/> (a loopback address with a free port) for clients outside the process.
    /// </summary>
    public static TimelineHost Start(
        string connectionString,
        TimeProvider clock,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IWebHostBuilder>? configure = null,
        Uri? listenOn = null)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("ConnectionStrings:Timeline", connectionString);
            host.UseSetting("Timeline:ApiKeys:0:Name", KeyName);
            host.UseSetting("Timeline:ApiKeys:0:Key", ApiKey);
            if (listenOn is not null)
            {
                host.UseSetting(WebHostDefaults.ServerUrlsKey, listenOn.ToString());
            }
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                host.UseSetting(key, value);
            }

            configure?.Invoke(host);

            host.ConfigureTestServices(services =>
            {
                services.AddSingleton(clock);
                services.AddSingleton<PublishRecorder>();
                // First of all hosted services, so the recorder sees what is published as soon as the bus starts.
                services.Insert(0, ServiceDescriptor.Singleton<IHostedService, RecordPublishes>());
            });
        });
        if (listenOn is null)
        {
            _ = factory.Services; // builds and starts the host
        }
        else
        {
            factory.UseKestrel(listenOn.Port);
            factory.StartServer();
        }

        return new TimelineHost(factory, listenOn);
    }

    public async ValueTask DisposeAsync()
    {
        Writer.Dispose();
        Anonymous.Dispose();
        await _factory.DisposeAsync();
    }

    private sealed class RecordPublishes(IBus bus, PublishRecorder recorder) : IHostedService
    {
        private ConnectHandle? _handle;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _handle = bus.ConnectPublishObserver(recorder);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            _handle?.Disconnect();
            return Task.CompletedTask;
        }
    }
}
