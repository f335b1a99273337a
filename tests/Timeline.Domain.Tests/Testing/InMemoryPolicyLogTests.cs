using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using Timeline.Testing;
using static Timeline.Domain.Tests.Commands;

namespace Timeline.Domain.Tests.Testing;

/// <summary>The in-memory write path appends what the deciders decide, the way the event store will.</summary>
public class InMemoryPolicyLogTests
{
    [Fact]
    public void AcceptedCommands_AreAppendedToTheirStreams_WithNextVersions_AtTheirRecordTimes_InRecordOrder()
    {
        var log = new InMemoryPolicyLog();

        log.Execute(Issue("us-eo-1", "2025-01-01"), At.Utc("2025-01-01T12:00:00Z"));
        log.Execute(Issue("us-eo-2", "2025-01-01"), At.Utc("2025-01-02T12:00:00Z"));
        log.Execute(Amend("us-eo-1", "2025-02-01", ("rate", 1)), At.Utc("2025-01-03T12:00:00Z"));

        Assert.Equal([1L, 2L], log.HistoryOf("us-eo-1").Select(e => e.Version));
        Assert.Equal([1L], log.HistoryOf("us-eo-2").Select(e => e.Version));
        Assert.Equal(
            [("us-eo-1", At.Utc("2025-01-01T12:00:00Z")), ("us-eo-2", At.Utc("2025-01-02T12:00:00Z")), ("us-eo-1", At.Utc("2025-01-03T12:00:00Z"))],
            log.Events.Select(e => (e.PolicyId, e.RecordedAt)));
        Assert.Equal(3, log.Events.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(At.Utc("2025-01-03T12:00:00Z"), log.LastRecordedAt);
    }

    [Fact]
    public void AnIssueThatRescindsAnother_AppendsToBothStreamsAtOneRecordTime_TheRescissionCausedByTheIssue()
    {
        var log = new InMemoryPolicyLog();
        log.Execute(Issue("us-eo-1", "2025-01-01"), At.Utc("2025-01-01T12:00:00Z"));

        var decision = log.Execute(Issue("us-eo-2", "2025-02-01") with { Rescinds = ["us-eo-1"] }, At.Utc("2025-02-01T12:00:00Z"));

        var issue = Assert.Single(log.HistoryOf("us-eo-2"));
        var rescission = log.HistoryOf("us-eo-1")[1];
        Assert.Equal(decision.Events[0].EventId, issue.EventId);
        Assert.Equal((2L, At.Utc("2025-02-01T12:00:00Z"), issue.EventId.ToString()), (rescission.Version, rescission.RecordedAt, rescission.CausationId));
        Assert.IsType<PolicyRescinded>(rescission.Data);
        Assert.Null(issue.CausationId);
    }

    [Fact]
    public void ARejectedCommand_WritesNothing_AndReturnsItsRejection()
    {
        var log = new InMemoryPolicyLog();
        log.Execute(Issue("us-eo-1", "2025-01-01"), At.Utc("2025-01-01T12:00:00Z"));

        var decision = log.Execute(Amend("us-eo-1", "2024-12-01", ("rate", 1)), At.Utc("2025-01-02T12:00:00Z"));

        Assert.Equal(RejectionKind.Unprocessable, decision.Rejection?.Kind);
        Assert.Single(log.Events);
        Assert.Equal(At.Utc("2025-01-01T12:00:00Z"), log.LastRecordedAt);
    }

    [Fact]
    public void AHistoryOnceRead_NeverChanges()
    {
        var log = new InMemoryPolicyLog();
        log.Execute(Issue("us-eo-1", "2025-01-01"), At.Utc("2025-01-01T12:00:00Z"));
        var before = log.HistoryOf("us-eo-1");

        log.Execute(Amend("us-eo-1", "2025-02-01", ("rate", 1)), At.Utc("2025-01-02T12:00:00Z"));

        Assert.Single(before);
        Assert.Equal(2, log.HistoryOf("us-eo-1").Count);
        Assert.Empty(log.HistoryOf("us-eo-9"));
    }

    [Theory]
    [InlineData("2025-01-01T12:00:00Z")]
    [InlineData("2025-01-01T11:59:59Z")]
    public void ARecordTimeNotAfterTheLastOne_IsRefused(string recordedAt)
    {
        var log = new InMemoryPolicyLog();
        log.Execute(Issue("us-eo-1", "2025-01-01"), At.Utc("2025-01-01T12:00:00Z"));

        Assert.Throws<ArgumentOutOfRangeException>(() => log.Execute(Amend("us-eo-1", "2025-02-01", ("rate", 1)), At.Utc(recordedAt)));
    }

    [Fact]
    public void RecordTimes_AreKeptToTheMicrosecond()
    {
        var log = new InMemoryPolicyLog();

        log.Execute(Issue("us-eo-1", "2025-01-01"), At.Utc("2025-01-01T12:00:00.1234567Z"));

        Assert.Equal(At.Utc("2025-01-01T12:00:00.123456Z"), log.Events[0].RecordedAt);
    }
}
