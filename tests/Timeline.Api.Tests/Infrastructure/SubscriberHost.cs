using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Timeline.Subscriber;

namespace Timeline.Api.Tests.Infrastructure;

/// <summary>The subscriber worker (src/Timeline.Subscriber) in this process, on its own queues and journal.</summary>
public sealed class SubscriberHost : IAsyncDisposable
{
    private readonly IHost _host;

    private SubscriberHost(IHost host) => _host = host;

    public ChangeJournal Journal => _host.Services.GetRequiredService<ChangeJournal>();

    /// <summary>Starts it and returns once its queues are bound, so nothing published afterwards can miss them.</summary>
    public static async Task<SubscriberHost> StartAsync(Uri broker, string queue, IEnumerable<string> bindings, string journal, bool tookEffect = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration["Subscriber:RabbitMq"] = broker.ToString();
        builder.Configuration["Subscriber:Queue"] = queue;
        builder.Configuration["Subscriber:Journal"] = journal;
        builder.Configuration["Subscriber:TookEffect"] = tookEffect.ToString();
        var index = 0;
        foreach (var binding in bindings)
        {
            builder.Configuration[$"Subscriber:Bindings:{index++}"] = binding;
        }

        builder.AddTimelineSubscriber();
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new SubscriberHost(host);
    }

    /// <summary>Waits until the journal holds every one of <paramref name="messageIds"/>.</summary>
    public Task WaitForAsync(IReadOnlyCollection<Guid> messageIds, TimeSpan timeout) =>
        Eventually.HoldsAsync(
            () => messageIds.All(Journal.Contains),
            timeout,
            () => $"the subscriber handled {messageIds.Count(Journal.Contains)} of {messageIds.Count} messages ({Journal.Path})");

    /// <summary>The journal's lines: message id and the message's policy id, in the order they were written.</summary>
    public IReadOnlyList<System.Text.Json.JsonElement> Lines() =>
        [.. File.ReadAllLines(Journal.Path).Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)];

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
