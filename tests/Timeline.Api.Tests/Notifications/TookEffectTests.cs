using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Timeline.Api.Notifications;
using Timeline.Api.Notifications.TookEffect;
using Timeline.Api.Tests.Infrastructure;
using Timeline.Contracts;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Notifications;

/// <summary>
/// PolicyTookEffect on a clock the test moves: a change recorded in advance is announced once when its effective time
/// comes, late (with the original time) after downtime, moved or cancelled by a correction before it, and followed by
/// the correction's PolicyChanged after it. Record time is the database's (now); effective times are days ahead.
/// </summary>
public sealed class TookEffectTests(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private DateTimeOffset _start;
    private string _database = "";

    public async ValueTask InitializeAsync()
    {
        _database = await postgres.CreateDatabaseAsync("timeline_took_effect");
        _start = _clock.GetUtcNow();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Changes_recorded_in_advance_are_announced_once_each_when_their_time_comes()
    {
        await using var host = TimelineHost.Start(_database, _clock);
        var issue = await host.Writer.WriteAsync("/api/policies", Issue("us-pending", At(days: 1), ("expiresAt", At(days: 3)), ("topics", new[] { "ai", "export-controls" })));
        var amendment = await host.Writer.WriteAsync("/api/policies/us-pending/amendments", new { effectiveAt = At(days: 2), set = new { fee = 10 } });
        var retroactive = await host.Writer.WriteAsync("/api/policies", Issue("us-already", At(days: -1)));

        await CheckedAsync(host);
        Assert.Empty(host.Published.Announcements.Messages);

        await AdvanceToAsync(host, days: 1);
        await AdvanceToAsync(host, days: 2);
        await AdvanceToAsync(host, days: 3);
        await AdvanceToAsync(host, days: 4);

        var announced = host.Published.Announcements.Items;
        Assert.Equal(
            [("issued", Instant(1), issue.EventIds[0]), ("amended", Instant(2), amendment.EventIds[0]), ("expired", Instant(3), (Guid?)null)],
            announced.Select(a => (a.Message.ChangeType, a.Message.EffectiveAt, a.Message.EventId)).ToArray());
        Assert.All(announced, a => Assert.Equal(a.Message.AnnouncementId, a.MessageId));
        Assert.Equal(3, announced.Select(a => a.MessageId).Distinct().Count());
        var first = announced[0].Message;
        Assert.Equal(("us-pending", "US", "ai,export-controls", Instant(1) + Second), (first.PolicyId, first.Jurisdiction, string.Join(',', first.Topics), first.AnnouncedAt));
        Assert.DoesNotContain(announced, a => a.Message.EventId == retroactive.EventIds[0]);
    }

    [Fact]
    public async Task A_correction_moves_or_cancels_an_announcement_not_yet_made_and_one_already_made_is_followed_by_the_corrections_change()
    {
        await using var host = TimelineHost.Start(_database, _clock);
        await host.Writer.WriteAsync("/api/policies", Issue("us-corrected", At(days: -10), ("expiresAt", At(days: 5))));
        var moved = await host.Writer.WriteAsync("/api/policies/us-corrected/amendments", new { effectiveAt = At(days: 1), set = new { a = 1 } });
        var intoThePast = await host.Writer.WriteAsync("/api/policies/us-corrected/amendments", new { effectiveAt = At(days: 2), set = new { b = 1 } });
        var announcedEarly = await host.Writer.WriteAsync("/api/policies/us-corrected/amendments", new { effectiveAt = At(days: 3), set = new { c = 1 } });

        await host.Writer.WriteAsync("/api/policies/us-corrected/corrections", new { eventId = moved.EventIds[0], changes = new { effectiveAt = At(days: 4) }, reason = "later" });
        await host.Writer.WriteAsync("/api/policies/us-corrected/corrections", new { eventId = intoThePast.EventIds[0], changes = new { effectiveAt = At(days: -1) }, reason = "earlier" });
        var issueId = (await host.Anonymous.GetJsonAsync("/api/policies/us-corrected/history")).GetProperty("events")[0].GetProperty("eventId").GetGuid();
        await host.Writer.WriteAsync("/api/policies/us-corrected/corrections", new { eventId = issueId, changes = new { expiresAt = (string?)null }, reason = "no sunset" });

        await AdvanceToAsync(host, days: 1);
        await AdvanceToAsync(host, days: 2);
        Assert.Empty(host.Published.Announcements.Messages);
        await AdvanceToAsync(host, days: 3);
        Assert.Equal([(announcedEarly.EventIds[0], Instant(3))], Announced(host));

        // Moved after it was announced: the correction is published as a change, and the new time is announced again.
        var late = await host.Writer.WriteAsync("/api/policies/us-corrected/corrections", new { eventId = announcedEarly.EventIds[0], changes = new { effectiveAt = At(days: 6) }, reason = "stayed" });
        var correction = (await host.Published.Changes.WaitForAsync(c => c.Any(m => m.EventId == late.EventIds[0]), "the correction's PolicyChanged", Wait))
            .Single(m => m.EventId == late.EventIds[0]);
        Assert.Equal(("corrected", announcedEarly.EventIds[0]), (correction.ChangeType, correction.CorrectedEventId));

        await AdvanceToAsync(host, days: 4);
        await AdvanceToAsync(host, days: 5);
        await AdvanceToAsync(host, days: 6);
        Assert.Equal(
            [(announcedEarly.EventIds[0], Instant(3)), (moved.EventIds[0], Instant(4)), (announcedEarly.EventIds[0], Instant(6))],
            Announced(host));
    }

    [Fact]
    public async Task After_downtime_what_came_due_is_announced_late_with_its_original_time_and_only_once()
    {
        Guid pending;
        await using (var before = TimelineHost.Start(_database, _clock))
        {
            pending = (await before.Writer.WriteAsync("/api/policies", Issue("us-downtime", At(days: 1)))).EventIds[0];
            await CheckedAsync(before);
            Assert.Empty(before.Published.Announcements.Messages);
        }

        // Down while it took effect.
        _clock.SetUtcNow(Instant(2));
        await using (var after = TimelineHost.Start(_database, _clock))
        {
            await after.Published.Announcements.WaitForAsync(a => a.Count > 0, "the late announcement", Wait);
            await CheckedAsync(after);
            var announcement = Assert.Single(after.Published.Announcements.Messages);
            Assert.Equal((pending, Instant(1), Instant(2)), (announcement.EventId!.Value, announcement.EffectiveAt, announcement.AnnouncedAt));
        }

        _clock.Advance(TimeSpan.FromHours(1));
        await using var again = TimelineHost.Start(_database, _clock);
        await CheckedAsync(again);
        Assert.Empty(again.Published.Announcements.Messages);
    }

    private string At(int days) => Scenarios.Instant(Instant(days));

    private DateTimeOffset Instant(int days) => Timeline.Domain.Time.Instants.Normalize(_start.AddDays(days));

    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static (Guid EventId, DateTimeOffset EffectiveAt)[] Announced(TimelineHost host) =>
        [.. host.Published.Announcements.Messages.Select(a => (a.EventId!.Value, a.EffectiveAt))];

    /// <summary>Moves the clock a second past <paramref name="days"/> and waits until the announcer has looked at that time.</summary>
    private async Task AdvanceToAsync(TimelineHost host, int days)
    {
        _clock.SetUtcNow(Instant(days) + Second);
        await CheckedAsync(host);
    }

    /// <summary>Wakes the announcer and waits until it has announced everything due at the clock's time.</summary>
    private async Task CheckedAsync(TimelineHost host)
    {
        host.Services.GetRequiredService<LogSignal>().Pulse();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Wait);
        await host.Services.GetRequiredService<TookEffectAnnouncer>().WaitUntilCheckedAsync(_clock.GetUtcNow(), deadline.Token);
    }
}
