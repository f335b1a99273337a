using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Timeline.Api.ReadModel;
using Timeline.Api.Tests.Infrastructure;
using Weasel.Core;

namespace Timeline.Api.Tests.ReadModel;

/// <summary>
/// Once the service has started, the read model's tables are exactly as declared: the schema migration finds nothing
/// to change, so a restart does not rebuild an index (an expression index spelled otherwise than PostgreSQL prints it
/// was dropped and built again at every start).
/// </summary>
public sealed class SchemaMigrationTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task A_started_service_finds_no_difference_in_the_read_model_tables()
    {
        var tables = App.Services.GetRequiredService<ReadModelTables>();
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        foreach (var table in new[] { tables.Versions, tables.Changes, tables.Topics })
        {
            var delta = await table.FindDeltaAsync(connection, TestContext.Current.CancellationToken);
            Assert.True(delta.Difference == SchemaPatchDifference.None, $"{table.Identifier}: {delta.Difference}");
        }
    }
}
