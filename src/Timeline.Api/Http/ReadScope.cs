using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Timeline.Domain.Decisions;

namespace Timeline.Api.Http;

/// <summary>
/// The start of every read: an open connection and the resolved <c>at</c> and <c>asOf</c>, or the problem
/// that stops the read (an id that cannot name an instrument, an invalid time or filter).
/// </summary>
public sealed class ReadScope : IAsyncDisposable
{
    private readonly NpgsqlTransaction? _transaction;

    private ReadScope(NpgsqlConnection connection, ReadTimes times, NpgsqlTransaction? transaction)
    {
        Connection = connection;
        Times = times;
        _transaction = transaction;
    }

    public NpgsqlConnection Connection { get; }

    public ReadTimes Times { get; }

    /// <summary>
    /// Opens the read. <paramref name="errors"/> may hold what the caller already found wrong in its own
    /// parameters: they are reported together with the times'. With <paramref name="policyId"/>, an id that
    /// cannot name an instrument is a 404 before any query. With <paramref name="holdNow"/>, the read's queries run in one
    /// transaction that holds the append lock shared from the settled now on: no append commits before the read ends,
    /// so as of the settled now the rows that hold are exactly the open ones. Only for short reads: writes wait meanwhile.
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
        bool holdNow = false)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(readClock);
        ArgumentNullException.ThrowIfNull(errors);
        if (policyId is not null && !FieldRules.IsPolicyId(policyId))
        {
            return (null, Problems.From(Rejection.NotFound(policyId)));
        }

        var connection = await connections.OpenAsync(cancellationToken);
        var transaction = holdNow ? await connection.BeginTransactionAsync(cancellationToken) : null;
        var times = await readClock.ResolveAsync(at, asOf, connection, errors, cancellationToken, atField);
        if (times is null || errors.Any)
        {
            await DisposeAsync(connection, transaction);
            return (null, Problems.Invalid(errors));
        }

        return (new ReadScope(connection, times, transaction), null);
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
