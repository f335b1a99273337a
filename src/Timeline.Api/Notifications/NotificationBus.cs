using MassTransit;
using Timeline.Contracts;

namespace Timeline.Api.Notifications;

/// <summary>
/// Publishes a notification with its message id and routing keys, and keeps trying until the bus takes it:
/// a change is never skipped, so while the broker is away the publisher waits (the log keeps every change,
/// and writes never wait for the bus). Per call, one message; callers keep the order per instrument.
/// </summary>
public sealed class NotificationBus(IBus bus, ILogger<NotificationBus> logger)
{
    /// <summary>RabbitMQ's sender-selected distribution: the message is also routed by these keys, once per queue.</summary>
    private const string CarbonCopyHeader = "CC";

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    public Task PublishAsync(PolicyChanged change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return PublishAsync(change, change.EventId, TimelineTopology.RoutingKeys(change.Jurisdiction, change.Topics, change.ChangeType), cancellationToken);
    }

    public Task PublishAsync(PolicyTookEffect announcement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        return PublishAsync(
            announcement,
            announcement.AnnouncementId,
            TimelineTopology.RoutingKeys(announcement.Jurisdiction, announcement.Topics, announcement.ChangeType),
            cancellationToken);
    }

    private async Task PublishAsync<T>(T message, Guid messageId, IReadOnlyList<string> routingKeys, CancellationToken cancellationToken)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(AttemptTimeout);
            try
            {
                await bus.Publish(message, context => Address(context, messageId, routingKeys), attemptTimeout.Token);
                if (attempt > 1)
                {
                    logger.LogInformation("Published {MessageType} {MessageId} after {Attempts} attempts", typeof(T).Name, messageId, attempt);
                }

                return;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(
                    exception,
                    "Publishing {MessageType} {MessageId} failed (attempt {Attempt}); retrying, nothing is skipped",
                    typeof(T).Name,
                    messageId,
                    attempt);
                // Retry pacing is wall-clock time, not the domain clock that tests move by hand.
                await Task.Delay(Backoff(attempt), TimeProvider.System, cancellationToken);
            }
        }
    }

    private static void Address(PublishContext context, Guid messageId, IReadOnlyList<string> routingKeys)
    {
        context.MessageId = messageId;
        if (routingKeys.Count > 0 && context.TrySetRoutingKey(routingKeys[0]) && routingKeys.Count > 1)
        {
            context.Headers.Set(CarbonCopyHeader, routingKeys.Skip(1).ToArray());
        }
    }

    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(attempt, 10))));
}
