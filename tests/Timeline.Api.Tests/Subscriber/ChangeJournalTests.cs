using Timeline.Api.Tests.Infrastructure;
using Timeline.Subscriber;

namespace Timeline.Api.Tests.Subscriber;

/// <summary>The subscriber's journal: append-only, and the durable record of which message ids were handled.</summary>
public sealed class ChangeJournalTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task A_message_id_is_written_once_even_after_a_restart()
    {
        var path = _directory.Combine("journal.ndjson");
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        using (var journal = new ChangeJournal(path))
        {
            Assert.True(await journal.AppendOnceAsync(first, "policy-changed", new { n = 1 }, Now, TestContext.Current.CancellationToken));
            Assert.False(await journal.AppendOnceAsync(first, "policy-changed", new { n = 1 }, Now, TestContext.Current.CancellationToken));
            Assert.Equal(1, journal.DuplicatesSkipped);
        }

        using (var reopened = new ChangeJournal(path))
        {
            Assert.False(await reopened.AppendOnceAsync(first, "policy-changed", new { n = 1 }, Now, TestContext.Current.CancellationToken));
            Assert.True(await reopened.AppendOnceAsync(second, "policy-changed", new { n = 2 }, Now, TestContext.Current.CancellationToken));
            Assert.Equal(2, reopened.Count);
        }

        var lines = await File.ReadAllLinesAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(2, lines.Length);
        Assert.Contains(first.ToString(), lines[0], StringComparison.Ordinal);
        Assert.Contains(second.ToString(), lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_line_cut_short_by_a_crash_is_dropped_so_its_message_is_handled_again_on_redelivery()
    {
        var path = _directory.Combine("journal.ndjson");
        var (kept, cut) = (Guid.NewGuid(), Guid.NewGuid());
        using (var journal = new ChangeJournal(path))
        {
            await journal.AppendOnceAsync(kept, "policy-changed", new { n = 1 }, Now, TestContext.Current.CancellationToken);
        }

        await File.AppendAllTextAsync(path, $"{{\"messageId\":\"{cut}\",\"messageType\":\"policy-chan", TestContext.Current.CancellationToken);

        using (var reopened = new ChangeJournal(path))
        {
            Assert.True(reopened.Contains(kept));
            Assert.False(reopened.Contains(cut));
            Assert.True(await reopened.AppendOnceAsync(cut, "policy-changed", new { n = 2 }, Now, TestContext.Current.CancellationToken));
        }

        var lines = await File.ReadAllLinesAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, line => System.Text.Json.JsonDocument.Parse(line));
    }

    public void Dispose() => _directory.Dispose();
}
