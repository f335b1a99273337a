using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Timeline.Api.Database;
using Timeline.Domain.Decisions;

namespace Timeline.Api.Http;

/// <summary>
/// The start of every read: an open connection and the resolved <c>at</c> and <c>asOf</c>, or the problem
/// that stops the read (an id that cannot name an instrument, an invalid time or filter).
/// </summary>
public sealed class ReadScope : IAsyncDisposable
{
    private readonly NpgsqlTransaction? _transaction;
    private readonly ReadClock _clock;
    private ReadTimes? _times;

    private ReadScope(NpgsqlConnection connection, RequestedTimes requested, ReadTimes? times, NpgsqlTransaction? transaction, ReadClock clock)
    {
        Connection = connection;
        Requested = requested;
        _times = times;
        _transaction = transaction;
        _clock = clock;
    }

    public NpgsqlConnection Connection { get; }

    /// <summary>The times as asked, before the settled now is known: what a query run by <see cref="SettleWithAsync"/> is built from.</summary>
    public RequestedTimes Requested { get; }

    /// <summary>The resolved times; for a scope begun with <c>settleWithQuery</c>, known once <see cref="SettleWithAsync"/> has run.</summary>
    public ReadTimes Times => _times ?? throw new InvalidOperationException("This read settles its times with its query: call SettleWithAsync first.");

    /// <summary>
    /// Opens the read. <paramref name="errors"/> may hold what the caller already found wrong in its own
    /// parameters: they are reported together with the times'. With <paramref name="policyId"/>, an id that
    /// cannot name an instrument is a 404 before any query. With <paramref name="holdNow"/>, the read's queries run in one
    /// transaction that holds the append lock shared from the settled now on: no append commits before the read ends,
    /// so as of the settled now the rows that hold are exactly the open ones. Only for short reads: writes wait meanwhile.
    /// With <paramref name="settleWithQuery"/>, the read is one query that settles the times in the same round trip
    /// (<see cref="SettleWithAsync"/>), with the same guarantee for that query.
    /// </summary>
    public static async Task<(ReadScope? Scope, ProblemHttpResult? Problem)> BeginAsync(
        ReadConnections connections,
        ReadClock readClock,
        string? at,
        string? asOf,
        FieldErrors errors,
        CancellationToken cancellationToken,
        string? policyId = null,
        string atField = "at",
        bool holdNow = false,
        bool settleWithQuery = false)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(readClock);
        ArgumentNullException.ThrowIfNull(errors);
        if (policyId is not null && !FieldRules.IsPolicyId(policyId))
        {
            return (null, Problems.From(Rejection.NotFound(policyId)));
        }

        var requested = readClock.Request(at, asOf, errors, atField);
        if (requested is null || errors.Any)
        {
            return (null, Problems.Invalid(errors));
        }

        var connection = await connections.OpenAsync(cancellationToken);
        if (settleWithQuery)
        {
            return (new ReadScope(connection, requested, null, null, readClock), null);
        }

        var transaction = holdNow ? await connection.BeginTransactionAsync(cancellationToken) : null;
        var times = ReadClock.Settle(requested, await readClock.SettledNowAsync(connection, cancellationToken));
        return (new ReadScope(connection, requested, times, transaction, readClock), null);
    }

    /// <summary>
    /// Settles the read's times and runs <paramref name="query"/> in one round trip: one batch, the settled now
    /// (which takes the append lock shared) and then the query. The batch is one implicit transaction, so the lock
    /// holds until the query has run and the query's snapshot is taken after it was granted: as of the settled now,
    /// the rows that hold are exactly the open ones, and a record time asked later than it reads the same rows.
    /// With <paramref name="planOnceForAnyValues"/>, the query gets a generic plan (<see cref="ConnectionDefaults.GenericPlansInTransaction"/>),
    /// for a query whose plan does not depend on its values.
    /// </summary>
    public async Task<T> SettleWithAsync<T>(NpgsqlBatchCommand query, bool planOnceForAnyValues, Func<NpgsqlDataReader, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (_times is not null)
        {
            throw new InvalidOperationException("This read's times are settled already.");
        }

        await using var batch = new NpgsqlBatch(Connection) { BatchCommands = { _clock.SettledNowCommand() } };
        if (planOnceForAnyValues)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(ConnectionDefaults.GenericPlansInTransaction));
        }

        batch.BatchCommands.Add(query);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        _times = ReadClock.Settle(Requested, await RecordClock.ReadSettledNowAsync(reader, cancellationToken));
        if (planOnceForAnyValues)
        {
            await reader.NextResultAsync(cancellationToken);
        }

        return await read(reader);
    }

    public ValueTask DisposeAsync() => DisposeAsync(Connection, _transaction);

    private static async ValueTask DisposeAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        if (transaction is not null)
        {
            await transaction.DisposeAsync();
        }

        await connection.DisposeAsync();
    }
}
