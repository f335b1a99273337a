using MassTransit;
using Timeline.Contracts;

namespace Timeline.Subscriber;

/// <summary>Writes each took-effect announcement once to the journal and the log.</summary>
public sealed class PolicyTookEffectConsumer(ChangeJournal journal, TimeProvider clock, ILogger<PolicyTookEffectConsumer> logger) : IConsumer<PolicyTookEffect>
{
    public async Task Consume(ConsumeContext<PolicyTookEffect> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var announcement = context.Message;
        var messageId = context.MessageId ?? announcement.AnnouncementId;
        if (!await journal.AppendOnceAsync(messageId, "policy-took-effect", announcement, clock.GetUtcNow(), context.CancellationToken))
        {
            logger.LogInformation("Skipped {MessageId}: already handled", messageId);
            return;
        }

        logger.LogInformation(
            "{PolicyId} {ChangeType} took effect at {EffectiveAt:O} (announced {AnnouncedAt:O}): {Summary}",
            announcement.PolicyId,
            announcement.ChangeType,
            announcement.EffectiveAt,
            announcement.AnnouncedAt,
            announcement.Summary);
    }
}
