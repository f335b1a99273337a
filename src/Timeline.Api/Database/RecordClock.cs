using Npgsql;

namespace Timeline.Api.Database;

/// <summary>
/// Record time, the second clock. Every append takes one transaction-scoped advisory lock and stamps
/// its events with the database clock while holding it, never earlier than one microsecond after the
/// last recorded event. So record time, the event sequence and commit order always agree, and an answer
/// given "as of now" stays the answer for that instant forever (docs/architecture.md, "Record time").
/// </summary>
public sealed class RecordClock(TimelineStoreOptions options)
{
    private readonly string _lockName = $"timeline.append:{options.Schema}";
    private readonly string _lastRecordSql = $"select max(\"timestamp\") from (select \"timestamp\" from {options.Schema}.mt_events order by seq_id desc limit 1) last";

    /// <summary>Takes the append lock for the transaction and returns its record time.</summary>
    public async Task<DateTimeOffset> StampAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await LockAsync(connection, transaction, cancellationToken);

        // The stamp is read in a statement of its own, after the lock is held: its snapshot then sees
        // the commit of whoever held the lock before.
        await using var stamp = new NpgsqlCommand(
            $"select greatest(date_trunc('microseconds', clock_timestamp()), coalesce(({_lastRecordSql}) + interval '1 microsecond', '-infinity'))",
            connection,
            transaction);
        return await ReadInstantAsync(stamp, cancellationToken);
    }

    /// <summary>
    /// Waits, before a batch commits, until the database clock has passed the last record time the batch stamped
    /// (its stamps run ahead one microsecond per command): a read that settles "now" after the commit is then
    /// after every one of them. A batch takes far longer than its stamps span, so this almost never sleeps.
    /// </summary>
    public async Task WaitUntilPastAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset lastStamp, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "select pg_sleep(greatest(0, extract(epoch from ($1 - clock_timestamp())) + 0.000001))", connection, transaction);
        command.Parameters.Add(new() { Value = lastStamp });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Takes the append lock until the transaction ends: nothing else appends meanwhile.</summary>
    public async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var lockCommand = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction);
        lockCommand.Parameters.Add(new() { Value = _lockName });
        await lockCommand.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// "Now" for a read: waits for an append in flight to commit, then reads the clock. Any later
    /// append is stamped after the returned instant, so the record as of it can no longer change.
    /// Inside a transaction the shared lock is held until it ends, so no append commits meanwhile.
    /// </summary>
    public async Task<DateTimeOffset> SettledNowAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand(SettledNowSql, connection);
        command.Parameters.Add(new() { Value = _lockName });
        return await ReadInstantAsync(command, cancellationToken);
    }

    /// <summary>
    /// <see cref="SettledNowAsync"/> as the first command of a batch: the batch is one implicit transaction, so the
    /// shared lock holds until its last command has run, and each later command's snapshot is taken after the lock was
    /// granted. Read its instant with <see cref="ReadSettledNowAsync"/>.
    /// </summary>
    public NpgsqlBatchCommand SettledNowCommand()
    {
        var command = new NpgsqlBatchCommand(SettledNowSql);
        command.Parameters.Add(new() { Value = _lockName });
        return command;
    }

    /// <summary>Reads the instant of <see cref="SettledNowCommand"/> and moves the reader on to the next command's rows.</summary>
    public static async Task<DateTimeOffset> ReadSettledNowAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        await reader.ReadAsync(cancellationToken);
        var settled = await reader.GetFieldValueAsync<DateTimeOffset>(0, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return settled;
    }

    private const string SettledNowSql =
        "select date_trunc('microseconds', clock_timestamp()) - interval '1 microsecond' from (select pg_advisory_xact_lock_shared(hashtextextended($1, 0))) settled";

    private static async Task<DateTimeOffset> ReadInstantAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return await reader.GetFieldValueAsync<DateTimeOffset>(0, cancellationToken);
    }
}
