using Marten;
using Npgsql;
using Timeline.Api.Database;

namespace Timeline.Api.ReadModel;

/// <summary>
/// Throws the read model away and replays the whole log through the timeline projection, with Marten's
/// projection daemon. The log is the source of truth: the rows come back the same. The rebuild holds the
/// append lock, so writes (and reads that ask "as of now") wait until it is done instead of racing it.
/// </summary>
public sealed class ReadModelRebuild(IDocumentStore store, NpgsqlDataSource dataSource, RecordClock recordClock, ILogger<ReadModelRebuild> logger)
{
    public async Task RunAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await recordClock.LockAsync(connection, transaction, cancellationToken);
        using var daemon = await store.BuildProjectionDaemonAsync(logger: logger);
        await daemon.RebuildProjectionAsync(PolicyTimelineProjection.Name, timeout, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Rebuilt the read model in {Elapsed}", TimeProvider.System.GetElapsedTime(started));
    }
}
