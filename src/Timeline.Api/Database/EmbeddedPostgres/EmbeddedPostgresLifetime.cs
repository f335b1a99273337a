using Microsoft.Extensions.Logging;

namespace Timeline.Api.Database.EmbeddedPostgres;

/// <summary>
/// Stops the embedded server once every other hosted service has stopped (Ctrl+C, SIGTERM or a normal
/// shutdown), and also at process exit in case the host never ran or never stopped.
/// </summary>
internal sealed class EmbeddedPostgresLifetime : IHostedLifecycleService
{
    private readonly LocalPostgresCluster _cluster;
    private readonly ILoggerFactory _loggerFactory;

    public EmbeddedPostgresLifetime(LocalPostgresCluster cluster, ILoggerFactory loggerFactory)
    {
        _cluster = cluster;
        _loggerFactory = loggerFactory;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Stopped, not Stop: services that still use the database (projection daemons, consumers) stop first.
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        await _cluster.StopAsync(cancellationToken);
        _loggerFactory.Dispose();
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        try
        {
            // ProcessExit handlers are synchronous; the runtime waits for them (briefly) before exiting.
#pragma warning disable VSTHRD002
            _cluster.StopAsync().GetAwaiter().GetResult();
#pragma warning restore VSTHRD002
        }
        catch (Exception exception)
        {
            // The process is going away whatever happens; an exception here would only hide this message.
            Console.Error.WriteLine(exception.Message);
        }
    }
}
