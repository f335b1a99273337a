using Npgsql;

namespace Timeline.Api.Audit;

/// <summary>The outcome of recomputing the chain: ok with the head, or the first sequence that does not verify and why.</summary>
public sealed record VerificationResult(bool Ok, long Events, long HeadSequence, string HeadHash, long? FirstFailedSequence = null, string? Reason = null);

/// <summary>
/// Recomputes the hash chain over the whole log, in sequence order, reading one event at a time. A changed
/// event fails on its own hash; a deleted, inserted or reordered one on the link to its neighbour; an event
/// with no hash was written around the write path.
/// </summary>
public sealed class AuditVerifier(AuditTables tables, AuditLogReader log)
{
    /// <summary>Verifies from the first event up to <paramref name="upToSequence"/> (the whole log when null).</summary>
    public async Task<VerificationResult> VerifyAsync(NpgsqlConnection connection, long? upToSequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var orphan = await FirstOrphanAsync(connection, cancellationToken);
        if (orphan > upToSequence)
        {
            orphan = null;
        }

        var previous = AuditEntry.GenesisHash;
        long events = 0, head = 0;
        await foreach (var stored in log.ReadAsync(connection, null, long.MinValue, long.MaxValue, null, cancellationToken))
        {
            var (storedPrevious, storedHash) = (stored.PreviousHash, stored.Hash);
            if (stored.Sequence > upToSequence)
            {
                break;
            }

            if (orphan is { } deleted && deleted < stored.Sequence)
            {
                return Failed(events, head, previous, deleted, "the chain holds a hash for this sequence but its event is gone: deleted");
            }

            if (storedHash is null)
            {
                return Failed(events, head, previous, stored.Sequence, "the event has no hash: it was written around Timeline's write path");
            }

            if (storedPrevious != previous)
            {
                return Failed(events, head, previous, stored.Sequence, "its link to the event before does not match: an event was deleted, inserted or reordered before it");
            }

            if (stored.ToEntry().HashAfter(previous) != storedHash)
            {
                return Failed(events, head, previous, stored.Sequence, "its content does not match its hash: the event was changed");
            }

            previous = storedHash;
            head = stored.Sequence;
            events++;
        }

        return orphan is { } gone
            ? Failed(events, head, previous, gone, "the chain holds a hash for this sequence but its event is gone: deleted")
            : new VerificationResult(true, events, head, previous);
    }

    private static VerificationResult Failed(long events, long head, string headHash, long sequence, string reason) =>
        new(false, events, head, headHash, sequence, reason);

    private async Task<long?> FirstOrphanAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"select min(c.seq_id) from {tables.ChainName} c where not exists (select 1 from {tables.EventsName} e where e.seq_id = c.seq_id)",
            connection);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is long sequence ? sequence : null;
    }
}
