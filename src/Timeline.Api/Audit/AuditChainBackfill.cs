using Npgsql;
using Timeline.Api.Database;

namespace Timeline.Api.Audit;

/// <summary>
/// At start-up, chains any event recorded before the chain existed (a store from an earlier version), in
/// batches, each under the append lock. In a store written by this version there is nothing to do.
/// </summary>
public sealed class AuditChainBackfill(NpgsqlDataSource dataSource, RecordClock recordClock, AuditChain chain, ILogger<AuditChainBackfill> logger) : IHostedService
{
    private const int BatchSize = 20_000;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        int chained;
        do
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await recordClock.LockAsync(connection, transaction, cancellationToken);
            chained = await chain.ExtendAsync(connection, transaction, BatchSize, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            total += chained;
            if (chained > 0)
            {
                logger.LogInformation("Chained {Total} events recorded before the audit chain existed", total);
            }
        }
        while (chained == BatchSize);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
