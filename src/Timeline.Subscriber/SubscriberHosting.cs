using MassTransit;
using Timeline.Contracts;

namespace Timeline.Subscriber;

/// <summary>
/// The subscriber's bus: two durable queues bound to Timeline's topic exchanges by routing-key patterns, plain JSON
/// bodies, one message at a time (so changes are handled in the order they were published, in order per instrument).
/// </summary>
public static class SubscriberHosting
{
    public static IHostApplicationBuilder AddTimelineSubscriber(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(SubscriberOptions.Section).Get<SubscriberOptions>() ?? new SubscriberOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new ChangeJournal(options.Journal));
        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit reports usage to its vendor over the internet by default; Timeline calls no one it was not told to.
            bus.DisableUsageTelemetry();
            bus.AddConsumer<PolicyChangedConsumer>();
            bus.AddConsumer<PolicyTookEffectConsumer>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(options.RabbitMq);
                rabbit.ReceiveEndpoint($"{options.Queue}.changes", endpoint =>
                {
                    Subscribe(endpoint, TimelineTopology.PolicyChangedExchange, options.EffectiveBindings);
                    endpoint.ConfigureConsumer<PolicyChangedConsumer>(context);
                });
                if (options.TookEffect)
                {
                    rabbit.ReceiveEndpoint($"{options.Queue}.took-effect", endpoint =>
                    {
                        Subscribe(endpoint, TimelineTopology.PolicyTookEffectExchange, options.EffectiveBindings);
                        endpoint.ConfigureConsumer<PolicyTookEffectConsumer>(context);
                    });
                }
            });
        });
        return builder;
    }

    private static void Subscribe(IRabbitMqReceiveEndpointConfigurator endpoint, string exchange, IReadOnlyList<string> patterns)
    {
        // Bound by routing key to Timeline's exchange, not by MassTransit's per-type fanout convention.
        endpoint.ConfigureConsumeTopology = false;
        endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
        endpoint.ConcurrentMessageLimit = 1;
        endpoint.PrefetchCount = 64;
        endpoint.UseMessageRetry(retry => retry.Intervals(100, 500, 1000, 5000));
        foreach (var pattern in patterns)
        {
            endpoint.Bind(exchange, binding =>
            {
                binding.ExchangeType = RabbitMQ.Client.ExchangeType.Topic;
                binding.RoutingKey = pattern;
            });
        }
    }
}
