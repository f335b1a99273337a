using JasperFx.Events;
using Marten;
using Npgsql;
using Timeline.Api.Audit;
using Timeline.Api.Database;
using Timeline.Api.ReadModel;
using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;

namespace Timeline.Api.Writing;

/// <summary>
/// The one write path. In a single transaction: take the append lock and the record time, load the
/// streams the command reads, check If-Match and the idempotency key, decide, append every event with
/// its expected stream version, let the timeline projection update the read model, extend the audit
/// hash chain, commit. A rejection rolls back: nothing is written.
/// </summary>
public sealed partial class PolicyWriter(
    IDocumentStore store, WriteConnections connections, RecordClock recordClock, AuditChain auditChain, PlannerStatistics statistics, TimeProvider clock)
{
    private readonly LogEvents _log = new(store);

    public async Task<WriteOutcome> WriteAsync(IPolicyCommand command, WriteConditions conditions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(conditions);
        await using var connection = await connections.OpenAsync(cancellationToken);
        try
        {
            return await WriteAsync(connection, command, conditions, cancellationToken);
        }
        catch (InvalidOperationException exception) when (connection.FullState.HasFlag(System.Data.ConnectionState.Broken) || connection.State == System.Data.ConnectionState.Closed)
        {
            // The server ended the session in the middle of the write (a restart, a failover) and a later statement found
            // the connection closed: the database is unavailable, as for any lost connection, and the transaction is gone.
            throw new NpgsqlException("The connection to the database was lost during the write.", exception);
        }
    }

    private async Task<WriteOutcome> WriteAsync(NpgsqlConnection connection, IPolicyCommand command, WriteConditions conditions, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var recordedAt = await recordClock.StampAsync(connection, transaction, cancellationToken);
        await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction, shouldAutoCommit: false));

        var replay = await ReplayAsync(session, conditions.Idempotency, conditions.RecordedBy, cancellationToken);
        if (replay is not null)
        {
            return replay;
        }

        var histories = await LoadAsync(session, command, cancellationToken);
        var current = command.PolicyId is null ? 0 : histories.Of(command.PolicyId).Count;
        if (conditions.ExpectedVersion is { } expected && expected != current)
        {
            return new WriteOutcome(null, new Rejection(
                RejectionKind.VersionMismatch,
                $"'{command.PolicyId}' is at version {current}, not {expected}; read it again and retry with If-Match: \"{current}\"."));
        }

        var decision = command.Decide(histories, new DecisionContext(clock.GetUtcNow(), () => Guid.CreateVersion7(clock.GetUtcNow())));
        if (decision.Rejection is not null)
        {
            return new WriteOutcome(null, decision.Rejection);
        }

        Append(session, decision.Events, histories, recordedAt, conditions);
        var policyId = decision.Events[0].PolicyId;
        var result = new WriteResult(
            policyId,
            [.. decision.Events.Select(e => e.EventId)],
            histories.Of(policyId).Count + decision.Events.Count(e => e.PolicyId == policyId),
            recordedAt);
        if (conditions.Idempotency is { } idempotency)
        {
            session.Insert(new IdempotencyRecord
            {
                Id = IdempotencyId(conditions.RecordedBy, idempotency.Key),
                RequestFingerprint = idempotency.RequestFingerprint,
                PolicyId = result.PolicyId,
                EventIds = [.. result.EventIds],
                Version = result.Version,
                RecordedAt = result.RecordedAt,
            });
        }

        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is EventStreamUnexpectedMaxEventIdException or Marten.Exceptions.ExistingStreamIdCollisionException)
        {
            // Cannot happen while every append holds the append lock; if it does, it is a concurrency conflict.
            return new WriteOutcome(null, Rejection.Conflict($"Another write changed '{policyId}' at the same time; read it again and retry."));
        }

        // The hash chain is extended in the same transaction, before the commit that makes the events visible.
        await auditChain.ExtendAfterAppendAsync(connection, transaction, decision.Events.Count, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new WriteOutcome(result, null);
    }

    private static string IdempotencyId(string recordedBy, string key) => $"{recordedBy}/{key}";

    private static async Task<WriteOutcome?> ReplayAsync(IDocumentSession session, IdempotencyKey? idempotency, string recordedBy, CancellationToken cancellationToken)
    {
        if (idempotency is null)
        {
            return null;
        }

        var earlier = await session.LoadAsync<IdempotencyRecord>(IdempotencyId(recordedBy, idempotency.Key), cancellationToken);
        if (earlier is null)
        {
            return null;
        }

        return earlier.RequestFingerprint == idempotency.RequestFingerprint
            ? new WriteOutcome(new WriteResult(earlier.PolicyId, earlier.EventIds, earlier.Version, earlier.RecordedAt), null, Replayed: true)
            : new WriteOutcome(null, Rejection.Conflict(
                $"Idempotency-Key '{idempotency.Key}' was already used for a different request; use a new key for a new request."));
    }

    private static async Task<PolicyHistories> LoadAsync(IDocumentSession session, IPolicyCommand command, CancellationToken cancellationToken)
    {
        var histories = new Dictionary<string, IReadOnlyList<RecordedEvent>>(StringComparer.Ordinal);
        if (command.PolicyId is null)
        {
            return new PolicyHistories(histories);
        }

        histories[command.PolicyId] = await LoadAsync(session, command.PolicyId, cancellationToken);
        // A valid command names at most MaxRelated in each list; more is refused by its decision, so loading them
        // (under the append lock) would only let one request hold up every writer.
        var others = command.AlsoReads(InstrumentRecord.Of(histories[command.PolicyId])).Distinct(StringComparer.Ordinal).Take(2 * FieldRules.MaxRelated);
        foreach (var other in others)
        {
            if (!histories.ContainsKey(other))
            {
                histories[other] = await LoadAsync(session, other, cancellationToken);
            }
        }

        return new PolicyHistories(histories);
    }

    private static async Task<IReadOnlyList<RecordedEvent>> LoadAsync(IDocumentSession session, string policyId, CancellationToken cancellationToken)
    {
        if (!FieldRules.IsPolicyId(policyId))
        {
            return []; // no such stream can exist; the decision reports the id as unknown or invalid
        }

        var events = await session.Events.FetchStreamAsync(policyId, token: cancellationToken);
        return [.. events.Select(PolicyTimelineProjection.ToRecorded)];
    }

    private static void Append(IDocumentSession session, IReadOnlyList<NewEvent> events, PolicyHistories histories, DateTimeOffset recordedAt, WriteConditions conditions)
    {
        foreach (var stream in events.GroupBy(e => e.PolicyId, StringComparer.Ordinal))
        {
            var newEvents = stream.ToList();
            var expectedAfter = histories.Of(stream.Key).Count + newEvents.Count;
            var action = session.Events.Append(stream.Key, expectedAfter, [.. newEvents.Select(e => e.Data)]);
            for (var i = 0; i < newEvents.Count; i++)
            {
                var appended = action.Events[i];
                appended.Id = newEvents[i].EventId;
                appended.Timestamp = recordedAt;
                appended.UserName = conditions.RecordedBy;
                appended.CorrelationId = conditions.CorrelationId;
                appended.CausationId = newEvents[i].CausedBy?.ToString() ?? conditions.RequestId;
            }
        }
    }
}
