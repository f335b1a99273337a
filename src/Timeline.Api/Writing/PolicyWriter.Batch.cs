using JasperFx.Events;
using Marten;
using Npgsql;
using Timeline.Api.Database;
using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;

namespace Timeline.Api.Writing;

/// <summary>One command of a batch, with the conditions it would have as a single write.</summary>
public sealed record BatchItem(IPolicyCommand Command, WriteConditions Conditions);

/// <summary>
/// A batch's outcome: every item's outcome in order (written or replayed), or the first refused item, in which
/// case nothing of the batch was written.
/// </summary>
public sealed record BatchOutcome(IReadOnlyList<WriteOutcome> Items, int? RefusedIndex = null, Rejection? Rejection = null)
{
    public bool IsWritten => Rejection is null;
}

/// <summary>
/// The bulk import path: many commands in one transaction, each decided by its own <c>Decide</c> exactly as a
/// single write is, against the histories as the commands before it in the batch left them.
/// </summary>
public sealed partial class PolicyWriter
{
    /// <summary>
    /// Writes <paramref name="items"/> in one transaction under one append lock: all of them, or (when one is
    /// refused) none. Each written command gets its own record time, one microsecond after the previous one's,
    /// so the log reads exactly as if the commands had been written one by one; idempotency keys replay as for
    /// single writes (also within the batch); the audit chain is extended once, before the commit.
    /// </summary>
    public async Task<BatchOutcome> WriteBatchAsync(IReadOnlyList<BatchItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return new BatchOutcome([]);
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var firstStamp = await recordClock.StampAsync(connection, transaction, cancellationToken);
        await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction, shouldAutoCommit: false));

        var histories = new BatchHistories(connection, transaction, _log);
        // With the instruments the batch's issues rescind or supersede: one query rather than one more per such issue. (A
        // correction's depend on its instrument's record; they are loaded when it is decided, as anything missed here.)
        await histories.PreloadAsync(
            items.Select(item => item.Command.PolicyId).OfType<string>().Concat(items.SelectMany(item => item.Command.AlsoReads(record: null))),
            cancellationToken);
        var answered = await LoadIdempotencyRecordsAsync(session, items, cancellationToken);

        var outcomes = new List<WriteOutcome>(items.Count);
        var pending = new Dictionary<string, List<(NewEvent Event, DateTimeOffset RecordedAt, WriteConditions Conditions)>>(StringComparer.Ordinal);
        var written = 0;
        var lastStamp = firstStamp;
        for (var index = 0; index < items.Count; index++)
        {
            var (command, conditions) = items[index];
            ArgumentNullException.ThrowIfNull(command);
            if (conditions.Idempotency is { } idempotency && answered.TryGetValue(IdempotencyId(conditions.RecordedBy, idempotency.Key), out var earlier))
            {
                if (earlier.RequestFingerprint != idempotency.RequestFingerprint)
                {
                    return Refused(index, Rejection.Conflict(
                        $"Idempotency-Key '{idempotency.Key}' was already used for a different request; use a new key for a new request."));
                }

                outcomes.Add(new WriteOutcome(new WriteResult(earlier.PolicyId, earlier.EventIds, earlier.Version, earlier.RecordedAt), null, Replayed: true));
                continue;
            }

            var read = await histories.ForAsync(command, cancellationToken);
            var current = command.PolicyId is null ? 0 : read.Of(command.PolicyId).Count;
            if (conditions.ExpectedVersion is { } expected && expected != current)
            {
                return Refused(index, new Rejection(
                    RejectionKind.VersionMismatch,
                    $"'{command.PolicyId}' is at version {current}, not {expected}; read it again and retry with If-Match: \"{current}\"."));
            }

            var decision = command.Decide(read, new DecisionContext(clock.GetUtcNow(), () => Guid.CreateVersion7(clock.GetUtcNow())));
            if (decision.Rejection is not null)
            {
                return Refused(index, decision.Rejection);
            }

            // Its own record time: the log reads as if the commands had been written one after the other.
            var recordedAt = firstStamp + (Instants.Resolution * written++);
            lastStamp = recordedAt;
            foreach (var added in decision.Events)
            {
                histories.Add(new RecordedEvent(added.EventId, added.PolicyId, histories.CountOf(added.PolicyId) + 1, recordedAt, added.Data, added.CausedBy?.ToString() ?? conditions.RequestId));
                if (!pending.TryGetValue(added.PolicyId, out var stream))
                {
                    pending[added.PolicyId] = stream = [];
                }

                stream.Add((added, recordedAt, conditions));
            }

            var policyId = decision.Events[0].PolicyId;
            var result = new WriteResult(policyId, [.. decision.Events.Select(e => e.EventId)], histories.CountOf(policyId), recordedAt);
            outcomes.Add(new WriteOutcome(result, null));
            if (conditions.Idempotency is { } key)
            {
                var record = new IdempotencyRecord
                {
                    Id = IdempotencyId(conditions.RecordedBy, key.Key),
                    RequestFingerprint = key.RequestFingerprint,
                    PolicyId = result.PolicyId,
                    EventIds = [.. result.EventIds],
                    Version = result.Version,
                    RecordedAt = result.RecordedAt,
                };
                answered[record.Id] = record;
                session.Insert(record);
            }
        }

        if (written == 0)
        {
            return new BatchOutcome(outcomes);
        }

        foreach (var (policyId, events) in pending)
        {
            var action = session.Events.Append(policyId, histories.CountOf(policyId), [.. events.Select(e => e.Event.Data)]);
            for (var i = 0; i < events.Count; i++)
            {
                var appended = action.Events[i];
                var (added, recordedAt, conditions) = events[i];
                appended.Id = added.EventId;
                appended.Timestamp = recordedAt;
                appended.UserName = conditions.RecordedBy;
                appended.CorrelationId = conditions.CorrelationId;
                appended.CausationId = added.CausedBy?.ToString() ?? conditions.RequestId;
            }
        }

        // The projection reads these instead of loading the batch's streams a second time in this transaction.
        ReadModel.KnownHistories.Attach(session, histories.Known);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is EventStreamUnexpectedMaxEventIdException or Marten.Exceptions.ExistingStreamIdCollisionException)
        {
            return Refused(0, Rejection.Conflict("Another write changed an instrument of the batch at the same time; retry the batch."));
        }

        await auditChain.ExtendAfterAppendAsync(connection, transaction, pending.Values.Sum(events => events.Count), cancellationToken);
        await recordClock.WaitUntilPastAsync(connection, transaction, lastStamp, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // A bulk import outgrows the planner's statistics faster than autovacuum renews them (PlannerStatistics).
        await statistics.CatchUpAsync(connection);
        return new BatchOutcome(outcomes);

        static BatchOutcome Refused(int index, Rejection rejection) => new([], index, rejection);
    }

    private static async Task<Dictionary<string, IdempotencyRecord>> LoadIdempotencyRecordsAsync(
        IDocumentSession session, IReadOnlyList<BatchItem> items, CancellationToken cancellationToken)
    {
        var ids = items.Where(item => item.Conditions.Idempotency is not null)
            .Select(item => IdempotencyId(item.Conditions.RecordedBy, item.Conditions.Idempotency!.Key))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        if (ids.Length == 0)
        {
            return new(StringComparer.Ordinal);
        }

        var found = await session.LoadManyAsync<IdempotencyRecord>(cancellationToken, ids);
        return found.ToDictionary(record => record.Id, StringComparer.Ordinal);
    }

    /// <summary>
    /// The histories a batch reads: each stream loaded from the store once (most in one query), then kept current
    /// in memory with the events the batch decides, so that a command sees the commands before it.
    /// </summary>
    private sealed class BatchHistories(NpgsqlConnection connection, NpgsqlTransaction transaction, LogEvents log)
    {
        private readonly Dictionary<string, List<RecordedEvent>> _streams = new(StringComparer.Ordinal);

        public async Task PreloadAsync(IEnumerable<string> policyIds, CancellationToken cancellationToken)
        {
            var wanted = policyIds.Where(FieldRules.IsPolicyId).Distinct(StringComparer.Ordinal).Where(id => !_streams.ContainsKey(id)).ToArray();
            if (wanted.Length == 0)
            {
                return;
            }

            foreach (var id in wanted)
            {
                _streams[id] = [];
            }

            await using var command = new NpgsqlCommand(log.QueryStreams("@ids"), connection, transaction);
            command.Parameters.AddWithValue("ids", wanted);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var recorded = log.Read(reader);
                _streams[recorded.PolicyId].Add(recorded);
            }
        }

        public int CountOf(string policyId) => _streams.TryGetValue(policyId, out var stream) ? stream.Count : 0;

        /// <summary>A stream's whole history as the batch leaves it, when loaded; null otherwise.</summary>
        public List<RecordedEvent>? Known(string policyId) => _streams.TryGetValue(policyId, out var stream) ? stream : null;

        public void Add(RecordedEvent recorded)
        {
            if (!_streams.TryGetValue(recorded.PolicyId, out var stream))
            {
                _streams[recorded.PolicyId] = stream = [];
            }

            stream.Add(recorded);
        }

        /// <summary>The histories the command reads, as a single write would load them, from memory where already loaded.</summary>
        public async Task<PolicyHistories> ForAsync(IPolicyCommand command, CancellationToken cancellationToken)
        {
            var read = new Dictionary<string, IReadOnlyList<RecordedEvent>>(StringComparer.Ordinal);
            if (command.PolicyId is null)
            {
                return new PolicyHistories(read);
            }

            await PreloadAsync([command.PolicyId], cancellationToken);
            read[command.PolicyId] = Snapshot(command.PolicyId);
            var others = command.AlsoReads(InstrumentRecord.Of(read[command.PolicyId])).Distinct(StringComparer.Ordinal).ToList();
            await PreloadAsync(others, cancellationToken);
            foreach (var other in others)
            {
                read.TryAdd(other, Snapshot(other));
            }

            return new PolicyHistories(read);
        }

        // A copy: the decision must see the history as it is now, not as later commands extend it.
        private IReadOnlyList<RecordedEvent> Snapshot(string policyId) => FieldRules.IsPolicyId(policyId) && _streams.TryGetValue(policyId, out var stream) ? [.. stream] : [];
    }
}
