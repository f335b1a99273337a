using Npgsql;
using Timeline.Api.Database;
using Timeline.Contracts;

namespace Timeline.Api.Notifications.TookEffect;

/// <summary>
/// Publishes <see cref="PolicyTookEffect"/> when the effective time of a change recorded in advance comes, on the
/// <see cref="TimeProvider"/> clock. It announces what is due (late, with the original effective time, after
/// downtime), then sleeps until the next effective time in the read model or the next append, whichever is first.
/// One instance announces: it holds a session advisory lock while it runs. Each announcement is recorded after the
/// broker took it, so a crash in between announces it again, with the same message id.
/// </summary>
public sealed class TookEffectAnnouncer(
    NpgsqlDataSource dataSource,
    DueChanges schedule,
    NotificationBus bus,
    LogSignal signal,
    TimeProvider clock,
    TimelineStoreOptions store,
    ILogger<TookEffectAnnouncer> logger) : BackgroundService
{
    private const int BatchSize = 500;

    /// <summary>The longest sleep on the domain clock before looking again, whatever the schedule says.</summary>
    private static readonly TimeSpan LongestSleep = TimeSpan.FromMinutes(10);

    /// <summary>Wall-clock pacing for a standby instance and after a failure.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly string _lockName = $"timeline.took-effect:{store.Schema}";
    private TaskCompletionSource _checked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The clock's time at the end of the last pass: everything due by then has been announced.</summary>
    public DateTimeOffset? CheckedThrough { get; private set; }

    /// <summary>Completes when a pass has ended at or after <paramref name="instant"/> on the clock.</summary>
    public async Task WaitUntilCheckedAsync(DateTimeOffset instant, CancellationToken cancellationToken)
    {
        while (true)
        {
            var nextPass = Volatile.Read(ref _checked).Task;
            if (CheckedThrough is { } through && through >= instant)
            {
                return;
            }

            await nextPass.WaitAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var leadership = await dataSource.OpenConnectionAsync(stoppingToken);
                if (!await TryLeadAsync(leadership, stoppingToken))
                {
                    await Task.Delay(RetryDelay, TimeProvider.System, stoppingToken);
                    continue;
                }

                logger.LogInformation("This instance announces changes as they take effect");
                await AnnounceWhileLeadingAsync(leadership, stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever failed, the schedule is in the database: start again from it rather than stop the service.
                logger.LogError(exception, "Took-effect announcements paused by an error; they resume where they stopped");
                await Task.Delay(RetryDelay, TimeProvider.System, stoppingToken);
            }
        }
    }

    private async Task<bool> TryLeadAsync(NpgsqlConnection leadership, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select pg_try_advisory_lock(hashtextextended($1, 0))", leadership);
        command.Parameters.Add(new() { Value = _lockName });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task AnnounceWhileLeadingAsync(NpgsqlConnection leadership, CancellationToken cancellationToken)
    {
        while (true)
        {
            var appended = signal.NextAppend;
            var now = clock.GetUtcNow();
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            {
                await AnnounceDueAsync(connection, now, cancellationToken);
                MarkChecked(now);
                var next = await schedule.NextAsync(connection, now, cancellationToken);
                await SleepAsync(now, next, appended, cancellationToken);
            }

            // The lock lives as long as this connection: if it broke, this fails and leadership is sought again.
            await using var alive = new NpgsqlCommand("select 1", leadership);
            await alive.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task AnnounceDueAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        IReadOnlyList<DueChange> due;
        do
        {
            due = await schedule.DueAsync(connection, now, BatchSize, cancellationToken);
            foreach (var change in due)
            {
                var announcement = new PolicyTookEffect(
                    AnnouncementIds.For(change.PolicyId, change.ChangeKey, change.EffectiveAt),
                    change.PolicyId,
                    change.Type,
                    change.EffectiveAt,
                    now,
                    change.EventId,
                    change.Jurisdiction,
                    change.Topics,
                    change.Citation,
                    change.Summary,
                    change.Title,
                    change.Kind);
                await bus.PublishAsync(announcement, cancellationToken);
                await schedule.RecordAsync(connection, change, announcement.AnnouncementId, now, cancellationToken);
                logger.LogInformation(
                    "Announced that {ChangeType} of {PolicyId} took effect at {EffectiveAt}", change.Type, change.PolicyId, change.EffectiveAt);
            }
        }
        while (due.Count == BatchSize);
    }

    /// <summary>Until the next effective time (on the domain clock) or the next append, whichever comes first.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "VSTHRD003", Justification = "The append signal is a TaskCompletionSource of this service, created with asynchronous continuations.")]
    private async Task SleepAsync(DateTimeOffset now, DateTimeOffset? next, Task appended, CancellationToken cancellationToken)
    {
        var wake = next is { } at && at - now < LongestSleep ? at : now + LongestSleep;
        using var sleeping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(wake - now, clock, sleeping.Token);
        // The clock may have passed the wake time before the timer was set (a test moves it by hand).
        if (clock.GetUtcNow() < wake)
        {
            await Task.WhenAny(timer, appended);
        }

        await sleeping.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void MarkChecked(DateTimeOffset now)
    {
        CheckedThrough = now;
        Interlocked.Exchange(ref _checked, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
