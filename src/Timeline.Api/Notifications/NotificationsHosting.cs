using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Timeline.Api.Database;
using Timeline.Api.Http;
using Timeline.Api.Notifications.TookEffect;

namespace Timeline.Api.Notifications;

/// <summary>
/// Change notifications: the publisher (a Marten subscription in the async daemon, hot/cold so one instance of
/// many publishes), the took-effect announcer, the bus (in memory, or RabbitMQ when configured), the append signal
/// that the change stream and the announcer wait on, and their health in readiness.
/// </summary>
public static class NotificationsHosting
{
    public static IHostApplicationBuilder AddTimelineNotifications(
        this IHostApplicationBuilder builder, MartenServiceCollectionExtensions.MartenConfigurationExpression store)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        var options = builder.Configuration.GetSection(NotificationOptions.Section).Get<NotificationOptions>() ?? new NotificationOptions();
        var services = builder.Services;
        services.AddSingleton(options);
        services.ConfigureMarten(marten =>
        {
            // The daemon wakes on each commit instead of polling (about 0.5 s at best): this is what makes delivery fast.
            marten.Events.UseListenNotifyForEventAppends = true;
            // The daemon skips failing events by default; a skipped event would be a change never published, so it
            // stops instead, and readiness shows the publisher stalled. (The read model is inline: only the publisher runs here.)
            marten.Projections.Errors.SkipApplyErrors = false;
            marten.Projections.Errors.SkipSerializationErrors = false;
            marten.Projections.Errors.SkipUnknownEvents = false;
            marten.Storage.ExtendedSchemaObjects.Add(new AnnouncementTable(marten.DatabaseSchemaName).Table);
        });
        services.AddSingleton(provider => new AnnouncementTable(provider.GetRequiredService<TimelineStoreOptions>().Schema));
        services.AddSingleton<DueChanges>();
        services.AddSingleton<ChangeMessages>();
        services.AddSingleton<ChangeStreamSource>();
        services.AddSingleton<NotificationBus>();
        services.AddSingleton<LogSignal>();
        services.AddHostedService(provider => provider.GetRequiredService<LogSignal>());

        // Before the daemon: hosted services start in order, and the publisher needs the bus.
        var rabbitMq = RabbitMqConnection.From(builder.Configuration);
        services.AddTimelineBus(rabbitMq);
        var health = services.AddHealthChecks().AddCheck<PublisherHealthCheck>("publisher", HealthStatus.Degraded, [HealthChecks.ReadyTag], HealthChecks.CheckTimeout);
        if (rabbitMq is not null)
        {
            services.AddSingleton(rabbitMq);
            services.AddSingleton<BrokerHealthCheck>();
            health.AddCheck<BrokerHealthCheck>("broker", HealthStatus.Degraded, [HealthChecks.ReadyTag], HealthChecks.CheckTimeout);
        }

        if (options.Publish)
        {
            services.AddHostedService<ListenWakeupShutdown>();
            store.AddAsyncDaemon(DaemonMode.HotCold)
                .AddSubscriptionWithServices<ChangePublisher>(ServiceLifetime.Singleton, subscription => subscription.Name = ChangePublisher.SubscriptionName);
            services.AddSingleton<TookEffectAnnouncer>();
            services.AddHostedService(provider => provider.GetRequiredService<TookEffectAnnouncer>());
        }

        return builder;
    }
}
