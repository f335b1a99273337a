using Npgsql;

namespace Timeline.Api.Notifications;

/// <summary>
/// Wakes readers of the log when events are appended, on any instance: it listens on the PostgreSQL channel that
/// Marten notifies with every append (<c>Events.UseListenNotifyForEventAppends</c>, delivered at commit). Readers
/// still read the log itself; a signal only says "look again", and one is also given after each reconnection, so a
/// notification missed while the connection was down costs a look, not a change.
/// </summary>
public sealed class LogSignal(NpgsqlDataSource dataSource, ILogger<LogSignal> logger) : BackgroundService
{
    /// <summary>Marten's channel (see <c>PostgresqlListenWakeup.DefaultChannel</c>).</summary>
    public const string Channel = "mt_events_appended";

    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    private TaskCompletionSource _next = NewSource();

    /// <summary>Completes at the next append after this property was read. Read it before reading the log.</summary>
    public Task NextAppend => Volatile.Read(ref _next).Task;

    /// <summary>Wakes every waiter, as an append would.</summary>
    public void Pulse() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => Pulse();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                Pulse(); // whatever was appended while nobody listened
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested && exception is NpgsqlException or IOException or TimeoutException)
            {
                logger.LogWarning(exception, "Lost the LISTEN connection for appends; readers fall back to their polling until it is back");
                Pulse();
                await Task.Delay(ReconnectDelay, TimeProvider.System, stoppingToken);
            }
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
