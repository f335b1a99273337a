using Npgsql;
using Timeline.Api.Database;

namespace Timeline.Api.ReadModel;

/// <summary>
/// At start-up, fills <c>policy_topics</c> from the version rows of a store written before the table existed, under the
/// append lock; in a store written by this version (or rebuilt) there is nothing to do.
/// </summary>
public sealed class TopicsBackfill(NpgsqlDataSource dataSource, RecordClock recordClock, ReadModelTables tables, ILogger<TopicsBackfill> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await recordClock.LockAsync(connection, transaction, cancellationToken);
        await using var fill = new NpgsqlCommand(
            $"""
            insert into {tables.Topics.Identifier.QualifiedName} (topic, policy_id)
            select distinct topic, policy_id from {tables.Versions.Identifier.QualifiedName}, unnest(topics) as topic
            where not exists (select 1 from {tables.Topics.Identifier.QualifiedName})
            on conflict do nothing
            """,
            connection,
            transaction)
        { CommandTimeout = 0 };
        var filled = await fill.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (filled > 0)
        {
            logger.LogInformation("Indexed the topics of the read model written before policy_topics existed: {Pairs} pairs", filled);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
