using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Notifications;

/// <summary>
/// The daemon wakes on LISTEN. When the service stops, that connection closes with it: left open, it outlived the host,
/// and the embedded server, which stops after every hosted service, broke it with a warning and a stack trace at every
/// shutdown.
/// </summary>
public sealed class ListenConnectionShutdownTests(PostgresServer postgres)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Stopping_the_service_closes_the_connections_that_listen_for_appends()
    {
        var database = await postgres.CreateDatabaseAsync("timeline_listen_shutdown");
        var name = new NpgsqlConnectionStringBuilder(database).Database!;
        var listening = $"select count(*) from pg_stat_activity where datname = '{name}' and query like 'LISTEN %'";
        await using (var host = TimelineHost.Start(database, new FakeTimeProvider(DateTimeOffset.UtcNow)))
        {
            // A change published means the daemon runs and has waited for appends: it listens, as the change stream does.
            var written = (await host.Writer.WriteAsync("/api/policies", Issue("us-listen-a", "2024-01-01"))).EventIds[0];
            await Eventually.HoldsAsync(() => host.Published.Changes.Messages.Any(m => m.EventId == written), Patience, () => "the change published");
            await Eventually.HoldsAsync(
                async () => await Sql.ScalarAsync<long>(database, listening) == 2,
                Patience,
                () => "the daemon and the change stream's signal both listening");
        }

        await Eventually.HoldsAsync(
            async () => await Sql.ScalarAsync<long>(database, listening) == 0,
            Patience,
            () => "no connection of the stopped service still listening");
    }
}
