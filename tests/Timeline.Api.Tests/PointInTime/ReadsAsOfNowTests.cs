using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Timeline.Api.Database;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.PointInTime;

/// <summary>
/// A state, and a list without a topic, as of now settle "now" and run their query in one round trip (one batch). An
/// append in flight when the read starts must commit first and be in the answer: the query's snapshot must come after
/// the append lock was granted to the read, not before (as it would if both were one statement).
/// </summary>
public sealed class ReadsAsOfNowTests(TimelineApp app) : ApiTest(app)
{
    [Theory]
    [InlineData("state")]
    [InlineData("list")]
    public async Task A_read_as_of_now_waits_for_an_append_in_flight_and_answers_with_what_it_wrote(string read)
    {
        var id = $"us-in-flight-{read}";
        await App.Writer.WriteAsync("/api/policies", Issue(id, "2020-01-01"));
        var cancellationToken = TestContext.Current.CancellationToken;

        // An append in flight: the append lock held and the read model changed (the segment in force from 2020), not yet committed.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(App.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var append = await connection.BeginTransactionAsync(cancellationToken);
        await App.Services.GetRequiredService<RecordClock>().LockAsync(connection, append, cancellationToken);
        await using (var change = new NpgsqlCommand(
            "update timeline.policy_versions set status = 'suspended' where policy_id = $1 and recorded_to is null and status = 'in-force'", connection, append))
        {
            change.Parameters.Add(new() { Value = id });
            Assert.Equal(1, await change.ExecuteNonQueryAsync(cancellationToken));
        }

        var answer = App.Writer.GetJsonAsync(read == "state" ? $"/api/policies/{id}?at=2024-01-01" : "/api/policies?at=2024-01-01&status=any&limit=1000");
        await Eventually.HoldsAsync(
            async () => await Sql.ScalarAsync<long>(App.ConnectionString, "select count(*) from pg_locks where locktype = 'advisory' and not granted") > 0,
            TimeSpan.FromSeconds(30),
            () => "the read never waited for the append lock");
        Assert.False(answer.IsCompleted, "the read answered while an append was in flight");

        await append.CommitAsync(cancellationToken);
        var body = await answer;
        var policy = read == "state" ? body : body.GetProperty("items").EnumerateArray().Single(item => item.Text("id") == id);
        Assert.Equal("suspended", policy.Text("status"));
        Assert.Equal(JsonValueKind.String, body.GetProperty("asOf").ValueKind);
    }
}
