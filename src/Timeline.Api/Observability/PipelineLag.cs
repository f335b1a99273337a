using System.Diagnostics;
using System.Diagnostics.Metrics;
using Npgsql;
using Timeline.Api.Database;
using Timeline.Api.Notifications;

namespace Timeline.Api.Observability;

/// <summary>
/// How far the change publisher and the async daemon are behind the log, read from Marten's progression table
/// (<c>mt_event_progression</c>) and the log head: the figures readiness compares (<see cref="PublisherHealthCheck"/>),
/// as numbers a dashboard can plot. In the database, so every instance reports the same, whichever one publishes.
/// One query serves every gauge of a collection.
/// </summary>
public sealed class PipelineLag(NpgsqlDataSource dataSource, TimelineStoreOptions store, ILogger<PipelineLag> logger)
{
    /// <summary>A collection reads every gauge within a moment; one reading serves them all (elapsed time, not the service's clock).</summary>
    private static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(1);

    private static readonly string PublisherShard = $"{ChangePublisher.SubscriptionName}:All";

    private readonly Lock _gate = new();
    private Reading? _last;
    private long _readAt;

    /// <summary>The current lag, or null when the database does not answer (the gauges then report nothing).</summary>
    internal Reading? Read()
    {
        lock (_gate)
        {
            if (_last is null || Stopwatch.GetElapsedTime(_readAt) > FreshFor)
            {
                _last = Query();
                _readAt = Stopwatch.GetTimestamp();
            }

            return _last;
        }
    }

    private Reading? Query()
    {
        try
        {
            // Gauge callbacks are synchronous; the query is two index lookups and a max.
            using var command = dataSource.CreateCommand($"""
                select name, last_seq_id, (select coalesce(max(seq_id), 0) from {store.Schema}.mt_events) as head,
                  (select extract(epoch from clock_timestamp() - min("timestamp"))::float8 from {store.Schema}.mt_events
                    where seq_id > coalesce((select last_seq_id from {store.Schema}.mt_event_progression where name = $1), 0)) as oldest_unpublished
                from (select name, last_seq_id from {store.Schema}.mt_event_progression
                      union all select $1, null where not exists (select 1 from {store.Schema}.mt_event_progression where name = $1)) progression
                """);
            command.CommandTimeout = 2;
            command.Parameters.Add(new() { Value = PublisherShard });
            using var reader = command.ExecuteReader();
            var daemon = new List<Measurement<long>>();
            var publisherEvents = new List<Measurement<long>>();
            var publisherSeconds = new List<Measurement<double>>();
            while (reader.Read())
            {
                var name = reader.GetString(0);
                var position = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
                var behind = Math.Max(0, reader.GetInt64(2) - position);
                if (name == PublisherShard)
                {
                    publisherEvents.Add(new Measurement<long>(behind));
                    publisherSeconds.Add(new Measurement<double>(reader.IsDBNull(3) ? 0 : Math.Max(0, reader.GetDouble(3))));
                }

                if (!reader.IsDBNull(1))
                {
                    daemon.Add(new Measurement<long>(behind, new KeyValuePair<string, object?>("shard", name)));
                }
            }

            return new Reading(publisherEvents, publisherSeconds, daemon);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            logger.LogDebug(exception, "Could not read the pipeline lag");
            return null;
        }
    }

    internal sealed record Reading(
        IReadOnlyList<Measurement<long>> PublisherEvents, IReadOnlyList<Measurement<double>> PublisherSeconds, IReadOnlyList<Measurement<long>> DaemonEvents);
}
