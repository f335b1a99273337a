using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Timeline.Api.ReadModel;
using Timeline.Api.Tests.Infrastructure;
using Weasel.Core;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.ReadModel;

/// <summary>
/// Once the service has started, the read model's tables are exactly as declared: the schema migration finds nothing
/// to change, so a restart does not rebuild an index (an expression index spelled otherwise than PostgreSQL prints it
/// was dropped and built again at every start). A read model from before the state became <c>text</c> (<c>jsonb</c>,
/// then <c>json</c>) is brought to it by the same migration, its states kept; one from before the bounds index became
/// the rows' unique guard loses its former row index and gets the unique one.
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

    [Theory]
    [InlineData("jsonb")]
    [InlineData("json")]
    public async Task A_read_model_with_the_state_as_json_or_jsonb_is_migrated_to_text_and_keeps_every_state(string former)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var id = $"us-migrate-state-{former}";
        var written = await App.Writer.WriteAsync("/api/policies", Issue(id, "2023-01-01", ("provisions", new { fee = 100, destinations = new[] { "CN", "RU" } })));
        var before = await App.Writer.StateAsync(id, "2024-01-01", written.RecordedAt);
        var versions = App.Services.GetRequiredService<ReadModelTables>().Versions.Identifier.QualifiedName;
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync(cancellation);
        await using (var downgrade = new NpgsqlCommand($"alter table {versions} alter column state type {former} using state::{former}", connection))
        {
            await downgrade.ExecuteNonQueryAsync(cancellation);
        }

        Assert.Equal(former, await StateColumnTypeAsync(connection, cancellation));

        await App.Services.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        Assert.Equal("text", await StateColumnTypeAsync(connection, cancellation));
        var after = await App.Writer.StateAsync(id, "2024-01-01", written.RecordedAt);
        Assert.True(JsonElement.DeepEquals(before, after), $"before {before}, after {after}");
    }

    [Fact]
    public async Task A_version_row_written_twice_is_refused_by_the_bounds_index()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await App.Writer.WriteAsync("/api/policies", Issue("us-guard-row", "2023-01-01"));
        var versions = App.Services.GetRequiredService<ReadModelTables>().Versions.Identifier.QualifiedName;
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync(cancellation);
        await using var again = new NpgsqlCommand($"insert into {versions} select * from {versions} where policy_id = 'us-guard-row'", connection);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => again.ExecuteNonQueryAsync(cancellation));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, refused.SqlState);
        Assert.Contains("ix_policy_versions_bounds", refused.ConstraintName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_model_with_the_former_row_index_loses_it_and_gets_a_unique_bounds_index()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var tables = App.Services.GetRequiredService<ReadModelTables>();
        var versions = tables.Versions.Identifier.QualifiedName;
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync(cancellation);
        // The read model as it was before: a unique index of its own on (id, recorded_from, valid_from), bounds not unique.
        await using (var downgrade = new NpgsqlCommand(
            $"create unique index ux_policy_versions_row on {versions} (policy_id, recorded_from, valid_from) nulls not distinct; " +
            $"drop index {tables.Schema}.ix_policy_versions_bounds; " +
            $"create index ix_policy_versions_bounds on {versions} (policy_id, {ReadModelTables.EffectiveFrom}, {ReadModelTables.EffectiveTo}, recorded_from, {ReadModelTables.RecordedTo}, status)",
            connection))
        {
            await downgrade.ExecuteNonQueryAsync(cancellation);
        }

        Assert.Equal(new Dictionary<string, bool> { ["ix_policy_versions_bounds"] = false, ["ix_policy_versions_current"] = false, ["ux_policy_versions_row"] = true }, await VersionIndexesAsync(connection, cancellation));

        await App.Services.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        Assert.Equal(new Dictionary<string, bool> { ["ix_policy_versions_bounds"] = true, ["ix_policy_versions_current"] = false }, await VersionIndexesAsync(connection, cancellation));
    }

    /// <summary>The version table's indexes by name, each with whether it is unique.</summary>
    private async Task<Dictionary<string, bool>> VersionIndexesAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        var tables = App.Services.GetRequiredService<ReadModelTables>();
        await using var command = new NpgsqlCommand(
            "select c.relname, i.indisunique from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = @table::regclass", connection);
        command.Parameters.AddWithValue("table", tables.Versions.Identifier.QualifiedName);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var indexes = new Dictionary<string, bool>();
        while (await reader.ReadAsync(cancellation))
        {
            indexes[reader.GetString(0)] = reader.GetBoolean(1);
        }

        return indexes;
    }

    private async Task<string> StateColumnTypeAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        var tables = App.Services.GetRequiredService<ReadModelTables>();
        await using var command = new NpgsqlCommand(
            "select data_type from information_schema.columns where table_schema = @schema and table_name = @table and column_name = 'state'", connection);
        command.Parameters.AddWithValue("schema", tables.Versions.Identifier.Schema);
        command.Parameters.AddWithValue("table", tables.Versions.Identifier.Name);
        return (string)(await command.ExecuteScalarAsync(cancellation))!;
    }
}
