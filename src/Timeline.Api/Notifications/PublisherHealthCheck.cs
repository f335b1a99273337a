using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Timeline.Api.Database;
using Timeline.Api.Notifications.TookEffect;

namespace Timeline.Api.Notifications;

/// <summary>
/// Whether changes reach the bus: compares the publisher's stored position with the log and Marten's high-water
/// mark, in the database, so every instance (not only the one that holds the daemon) sees a stalled publisher.
/// Degraded when the oldest unpublished change is older than <see cref="NotificationOptions.StallAfter"/>, or when
/// this instance's daemon says its high-water agent has stopped cycling.
/// </summary>
internal sealed class PublisherHealthCheck(
    NpgsqlDataSource dataSource, TimelineStoreOptions store, NotificationOptions options, IServiceProvider services) : IHealthCheck
{
    private const string HighWaterMark = "HighWaterMark";
    private static readonly string PublisherShard = $"{ChangePublisher.SubscriptionName}:All";

    /// <summary>Answers at the check's timeout even when the query does not (a silent partition): see the database check.</summary>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        CheckAsync(cancellationToken).WaitAsync(cancellationToken);

    private async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            with progress as (select
                (select last_seq_id from {store.Schema}.mt_event_progression where name = $1) as published,
                (select last_seq_id from {store.Schema}.mt_event_progression where name = $2) as high_water)
            select progress.published, progress.high_water,
                (select max(seq_id) from {store.Schema}.mt_events) as head,
                (select extract(epoch from clock_timestamp() - min("timestamp"))::float8 from {store.Schema}.mt_events
                  where seq_id > coalesce(progress.published, 0)) as oldest_unpublished_seconds
            from progress
            """);
        command.Parameters.Add(new() { Value = PublisherShard });
        command.Parameters.Add(new() { Value = HighWaterMark });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var published = await reader.GetFieldValueAsync<long?>(0, cancellationToken) ?? 0;
        var highWater = await reader.GetFieldValueAsync<long?>(1, cancellationToken) ?? 0;
        var head = await reader.GetFieldValueAsync<long?>(2, cancellationToken) ?? 0;
        var oldestSeconds = await reader.GetFieldValueAsync<double?>(3, cancellationToken);
        var data = new Dictionary<string, object>
        {
            ["publishedThrough"] = published,
            ["highWaterMark"] = highWater,
            ["logHead"] = head,
            ["publishesHere"] = options.Publish,
        };
        if (services.GetService<TookEffectAnnouncer>()?.CheckedThrough is { } checkedThrough)
        {
            data["tookEffectCheckedThrough"] = checkedThrough;
        }

        if (oldestSeconds is { } seconds && TimeSpan.FromSeconds(seconds) is var age && age > options.StallAfter)
        {
            return HealthCheckResult.Degraded(
                $"The change publisher is {head - published} events behind the log; the oldest unpublished was recorded {age.TotalSeconds:F0} s ago "
                + $"(high-water mark {highWater}). Changes are kept in the log and published when it moves again.",
                data: data);
        }

        if (HighWaterIsStale())
        {
            return HealthCheckResult.Degraded("This instance's async daemon reports that its high-water agent has stopped cycling.", data: data);
        }

        return HealthCheckResult.Healthy($"Published through sequence {published} of {head}.", data);
    }

    /// <summary>Marten's own high-water liveness, where this instance holds the daemon.</summary>
    private bool HighWaterIsStale()
    {
        if (!options.Publish || services.GetService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>() is not { } coordinator)
        {
            return false;
        }

        var daemon = coordinator.DaemonForMainDatabase();
        return daemon.IsRunning && daemon.IsHighWaterStale;
    }
}
