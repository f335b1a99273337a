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
    private ReadScope(NpgsqlConnection connection, ReadTimes times)
    {
        Connection = connection;
        Times = times;
    }

    public NpgsqlConnection Connection { get; }

    public ReadTimes Times { get; }

    /// <summary>
    /// Opens the read. <paramref name="errors"/> may hold what the caller already found wrong in its own
    /// parameters: they are reported together with the times'. With <paramref name="policyId"/>, an id that
    /// cannot name an instrument is a 404 before any query.
    /// </summary>
    public static async Task<(ReadScope? Scope, ProblemHttpResult? Problem)> BeginAsync(
        NpgsqlDataSource dataSource,
        ReadClock readClock,
        string? at,
        string? asOf,
        FieldErrors errors,
        CancellationToken cancellationToken,
        string? policyId = null,
        string atField = "at")
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(readClock);
        ArgumentNullException.ThrowIfNull(errors);
        if (policyId is not null && !FieldRules.IsPolicyId(policyId))
        {
            return (null, Problems.From(Rejection.NotFound(policyId)));
        }

        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var times = await readClock.ResolveAsync(at, asOf, connection, errors, cancellationToken, atField);
        if (times is null || errors.Any)
        {
            await connection.DisposeAsync();
            return (null, Problems.Invalid(errors));
        }

        return (new ReadScope(connection, times), null);
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
