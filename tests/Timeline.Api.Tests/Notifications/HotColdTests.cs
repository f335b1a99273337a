using Microsoft.Extensions.Time.Testing;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Notifications;

/// <summary>Several instances on one database: the async daemon runs hot/cold, so exactly one of them publishes.</summary>
public sealed class HotColdTests(PostgresServer postgres)
{
    [Fact]
    public async Task With_two_instances_on_one_database_each_change_is_published_once_by_one_of_them()
    {
        var database = await postgres.CreateDatabaseAsync("timeline_hot_cold");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var first = TimelineHost.Start(database, clock);
        await using var second = TimelineHost.Start(database, clock);

        var written = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var writer = i % 2 == 0 ? first.Writer : second.Writer;
            written.AddRange((await writer.WriteAsync("/api/policies", Issue($"us-hot-cold-{i}", "2024-01-01"))).EventIds);
        }

        await Eventually.HoldsAsync(
            () => written.All(id => first.Published.Changes.Messages.Concat(second.Published.Changes.Messages).Any(m => m.EventId == id)),
            TimeSpan.FromSeconds(30),
            () => "every change published by one of the instances");

        var publishedBy = new[] { first.Published.Changes.Messages, second.Published.Changes.Messages };
        Assert.Contains(publishedBy, messages => messages.Count == 0);
        Assert.Equal(written.Order(), publishedBy.SelectMany(m => m).Select(m => m.EventId).Order());
    }
}
