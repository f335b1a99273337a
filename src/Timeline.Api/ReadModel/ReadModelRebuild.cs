using Marten;

namespace Timeline.Api.ReadModel;

/// <summary>
/// Throws the read model away and replays the whole log through the timeline projection, with Marten's
/// projection daemon. The log is the source of truth: the rows come back the same.
/// </summary>
public sealed class ReadModelRebuild(IDocumentStore store, ILogger<ReadModelRebuild> logger)
{
    public async Task RunAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        using var daemon = await store.BuildProjectionDaemonAsync(logger: logger);
        await daemon.RebuildProjectionAsync(PolicyTimelineProjection.Name, timeout, cancellationToken);
        logger.LogInformation("Rebuilt the read model in {Elapsed}", TimeProvider.System.GetElapsedTime(started));
    }
}
