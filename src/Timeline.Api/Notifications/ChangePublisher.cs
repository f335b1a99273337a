using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace Timeline.Api.Notifications;

/// <summary>
/// Publishes one <c>PolicyChanged</c> per event of the log, from the log and never from the request: a Marten
/// subscription run by the async daemon. The daemon hands it pages in log order and stores its position only
/// after a page is processed, so a crash between publish and checkpoint publishes that page again on restart
/// (at least once, with the same message ids) and nothing is lost. A page completes only when every message is
/// on the bus (with RabbitMQ, confirmed by the broker).
/// </summary>
public sealed class ChangePublisher : SubscriptionBase
{
    /// <summary>The subscription's name, and so its stored position (<c>mt_event_progression</c>): renaming it republishes everything.</summary>
    public const string SubscriptionName = "PolicyChangedPublisher";

    private readonly ChangeMessages _messages;
    private readonly NotificationBus _bus;

    public ChangePublisher(ChangeMessages messages, NotificationBus bus)
    {
        _messages = messages;
        _bus = bus;
        Name = SubscriptionName;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var changes = await _messages.ForAsync(operations, page.Events, cancellationToken);
        // In order within an instrument; instruments are independent, so their publishes overlap.
        await Task.WhenAll(changes.GroupBy(change => change.PolicyId, StringComparer.Ordinal).Select(async instrument =>
        {
            foreach (var change in instrument)
            {
                await _bus.PublishAsync(change, cancellationToken);
            }
        }));
        return NullChangeListener.Instance;
    }
}
