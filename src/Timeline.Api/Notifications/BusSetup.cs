using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Timeline.Contracts;

namespace Timeline.Api.Notifications;

/// <summary>
/// The MassTransit bus: in memory by default (no broker; messages reach consumers in this process only and die
/// with it), RabbitMQ when <c>Timeline:Bus:RabbitMq</c> is set: durable topic exchanges named in
/// <see cref="TimelineTopology"/>, plain JSON bodies, publisher confirms, reconnection by MassTransit.
/// </summary>
internal static class BusSetup
{
    public static IServiceCollection AddTimelineBus(this IServiceCollection services, RabbitMqConnection? rabbitMq)
    {
        services.AddMassTransit(bus =>
        {
            // MassTransit reports usage to its vendor over the internet by default; Timeline calls no one it was not told to.
            bus.DisableUsageTelemetry();
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "bus";
                // Visible in readiness, but a broker outage must not take the write path out of service.
                health.MinimalFailureStatus = HealthStatus.Degraded;
            });

            if (rabbitMq is null)
            {
                bus.UsingInMemory((context, memory) => memory.ConfigureEndpoints(context));
                return;
            }

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(rabbitMq.Host, (ushort)rabbitMq.Port, rabbitMq.VirtualHost, host =>
                {
                    host.Username(rabbitMq.Username);
                    host.Password(rabbitMq.Password);
                    host.PublisherConfirmation = true; // a publish completes when the broker has the message
                    if (rabbitMq.UseTls)
                    {
                        host.UseSsl(_ => { });
                    }
                });
                // Plain JSON with the message id as the AMQP message_id, so that any client can read it.
                rabbit.UseRawJsonSerializer(RawSerializerOptions.AddTransportHeaders, isDefault: true);
                rabbit.Publish<PolicyChanged>(publish => publish.ExchangeType = RabbitMQ.Client.ExchangeType.Topic);
                rabbit.Publish<PolicyTookEffect>(publish => publish.ExchangeType = RabbitMQ.Client.ExchangeType.Topic);
                rabbit.ConfigureEndpoints(context);
            });
        });
        return services;
    }
}
