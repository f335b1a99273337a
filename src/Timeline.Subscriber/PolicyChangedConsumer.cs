using MassTransit;
using Timeline.Contracts;

namespace Timeline.Subscriber;

/// <summary>Writes each change once to the journal and the log; a redelivery (same message id) is acknowledged and skipped.</summary>
public sealed class PolicyChangedConsumer(ChangeJournal journal, TimeProvider clock, ILogger<PolicyChangedConsumer> logger) : IConsumer<PolicyChanged>
{
    public async Task Consume(ConsumeContext<PolicyChanged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var change = context.Message;
        // Timeline sets the message id to the event id; fall back to it for a broker that drops the property.
        var messageId = context.MessageId ?? change.EventId;
        if (!await journal.AppendOnceAsync(messageId, "policy-changed", change, clock.GetUtcNow(), context.CancellationToken))
        {
            logger.LogInformation("Skipped {MessageId}: already handled", messageId);
            return;
        }

        logger.LogInformation(
            "{PolicyId} v{Version} {ChangeType} (effective {EffectiveAt:O}, recorded {RecordedAt:O}, {Jurisdiction} {Topics}): {Summary}",
            change.PolicyId,
            change.StreamVersion,
            change.ChangeType,
            change.EffectiveAt,
            change.RecordedAt,
            change.Jurisdiction,
            string.Join(",", change.Topics),
            change.Summary);
    }
}
