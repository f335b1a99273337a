using Npgsql;

namespace Timeline.Api.Writing;

/// <summary>
/// The pool the write path (<see cref="PolicyWriter"/>) takes its connections from. Its connections keep the
/// statements they run again and again prepared (<see cref="Database.ConnectionDefaults.ForWrites"/>): a bulk import
/// runs Marten's append function once per stream and the read model's few statements once per batch, thousands of times.
/// </summary>
public sealed class WriteConnections(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => dataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
