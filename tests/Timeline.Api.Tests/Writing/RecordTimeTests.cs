using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Writing;

/// <summary>
/// Record time is set by the store, moves forward with the event sequence even under concurrent writers,
/// and an answer given as of an instant is the answer for that instant forever.
/// </summary>
public sealed class RecordTimeTests(TimelineApp app) : ApiTest(app)
{
    private const int Writers = 6;
    private const int WritesEach = 12;

    [Fact]
    public async Task Concurrent_writes_get_strictly_increasing_record_times_in_sequence_order_and_past_answers_never_change()
    {
        var answers = new List<(string AsOf, string[] Ids)>();
        using var writing = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            while (!writing.IsCancellationRequested)
            {
                var list = await App.Anonymous.GetJsonAsync("/api/policies?status=any&limit=1000");
                answers.Add((list.Text("asOf"), Ids(list)));
            }
        }, TestContext.Current.CancellationToken);

        var writes = await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var recorded = new List<WriteAnswer>();
            for (var i = 0; i < WritesEach; i++)
            {
                recorded.Add(await App.Writer.WriteAsync("/api/policies", Issue($"us-w{writer}-{i}", "2024-01-01")));
            }

            return recorded;
        }, TestContext.Current.CancellationToken)));
        await writing.CancelAsync();
        await reader;

        var log = await LogAsync();
        Assert.Equal(Writers * WritesEach, log.Count);
        for (var i = 1; i < log.Count; i++)
        {
            Assert.True(log[i].RecordedAt > log[i - 1].RecordedAt, $"sequence {log[i].Sequence} was recorded at {log[i].RecordedAt:o}, not after {log[i - 1].RecordedAt:o}");
        }

        Assert.Equal(writes.SelectMany(w => w).Select(w => w.RecordedAt).Order(), log.Select(e => e.RecordedAt));
        Assert.True(answers.Count > 1, "the reader should have asked while the writers wrote");
        foreach (var (asOf, ids) in answers)
        {
            var again = await App.Anonymous.GetJsonAsync($"/api/policies?status=any&limit=1000&asOf={Uri.EscapeDataString(asOf)}");
            Assert.Equal(ids, Ids(again));
        }
    }

    private static string[] Ids(System.Text.Json.JsonElement list) =>
        [.. list.GetProperty("items").EnumerateArray().Select(item => item.Text("id"))];

    private async Task<List<(long Sequence, DateTimeOffset RecordedAt)>> LogAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand("select seq_id, \"timestamp\" from timeline.mt_events order by seq_id", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var log = new List<(long, DateTimeOffset)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            log.Add((reader.GetInt64(0), await reader.GetFieldValueAsync<DateTimeOffset>(1, TestContext.Current.CancellationToken)));
        }

        return log;
    }
}
