using Npgsql;

namespace Timeline.Api.Http;

/// <summary>
/// The pool every read (<see cref="ReadScope"/>) takes its connection from. Its connections are not reset when they
/// return to it (<see cref="Database.ConnectionDefaults.ForReads"/>): a read leaves nothing in the session (its locks
/// and transactions end with it, its prepared statements are meant to stay), so resetting after each one was waste.
/// Anything that sets session state (LISTEN, session advisory locks) uses the other pool.
/// </summary>
public sealed class ReadConnections(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => dataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
