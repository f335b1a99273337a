using MassTransit;
using Timeline.Contracts;

namespace Timeline.Api.Tests.Infrastructure;

/// <summary>Every <see cref="PolicyChanged"/> and <see cref="PolicyTookEffect"/> the service published, with its message id.</summary>
public sealed class PublishRecorder : IPublishObserver
{
    private readonly Inbox<PolicyChanged> _changes = new();
    private readonly Inbox<PolicyTookEffect> _announcements = new();

    public Inbox<PolicyChanged> Changes => _changes;

    public Inbox<PolicyTookEffect> Announcements => _announcements;

    public Task PrePublish<T>(PublishContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context)
        where T : class
    {
        switch (context.Message)
        {
            case PolicyChanged change:
                _changes.Add(context.MessageId, change);
                break;
            case PolicyTookEffect announcement:
                _announcements.Add(context.MessageId, announcement);
                break;
        }

        return Task.CompletedTask;
    }

    public Task PublishFault<T>(PublishContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}
