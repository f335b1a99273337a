using Marten;

namespace Timeline.Api.Notifications;

/// <summary>
/// Closes the LISTEN connection the daemon wakes on (<c>UseListenNotifyForEventAppends</c>) once the daemon has stopped.
/// Marten opens it with the daemon but closes it only when its wakeup is disposed, which nothing does: it stayed open
/// until the process ended, and the embedded server, stopping after every hosted service, broke it with a warning and
/// a stack trace at every shutdown. Registered before the daemon, so it stops after it (hosted services stop in reverse).
/// </summary>
internal sealed class ListenWakeupShutdown(IDocumentStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (store is DocumentStore { Options.Projections.Wakeup: IDisposable wakeup })
        {
            wakeup.Dispose();
        }

        return Task.CompletedTask;
    }
}
