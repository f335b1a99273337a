using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using Timeline.Testing;

namespace Timeline.Domain.Tests;

/// <summary>
/// Given/When/Then for the deciders: the given commands are recorded through the in-memory write
/// path (each must be accepted), the command under test is decided against what they recorded, and
/// the events it would write, or its rejection with nothing written, are checked. Record times
/// start on 2026-06-01 and advance an hour per command.
/// </summary>
internal sealed class DecisionSpec
{
    private readonly InMemoryPolicyLog _log = new();
    private DateTimeOffset _recordedAt = At.Utc("2026-06-01T12:00:00Z");
    private int _eventsBefore;

    public Decision Decision { get; private set; } = Decision.Reject(Rejection.Unprocessable("When was not called."));

    /// <summary>The record time of the command under test: its "now".</summary>
    public DateTimeOffset WhenRecordedAt => _recordedAt;

    public static DecisionSpec Given(params IPolicyCommand[] commands)
    {
        var spec = new DecisionSpec();
        foreach (var command in commands)
        {
            spec.And(command);
        }

        return spec;
    }

    public DecisionSpec And(IPolicyCommand command)
    {
        var decision = _log.Execute(command, _recordedAt = _recordedAt.AddHours(1));
        Assert.True(decision.IsAccepted, $"Given {command.GetType().Name} was rejected: {decision.Rejection}");
        return this;
    }

    /// <summary>The id of the event recorded as <paramref name="version"/> of <paramref name="policyId"/>.</summary>
    public Guid EventId(string policyId, int version) => _log.HistoryOf(policyId)[version - 1].EventId;

    public DecisionSpec When(IPolicyCommand command)
    {
        _eventsBefore = _log.Events.Count;
        Decision = _log.Execute(command, _recordedAt = _recordedAt.AddHours(1));
        return this;
    }

    /// <summary>Accepted, writing exactly <paramref name="expected"/>, each to its own instrument's stream.</summary>
    public void Then(params IPolicyEvent[] expected)
    {
        Assert.True(Decision.IsAccepted, $"Expected acceptance, got {Decision.Rejection}");
        Assert.Equal(expected, Decision.Events.Select(e => e.Data));
        Assert.All(Decision.Events, e => Assert.Equal(e.Data.PolicyId, e.PolicyId));
    }

    /// <summary>Rejected as <paramref name="kind"/> (for invalid fields, naming <paramref name="field"/>), with nothing written.</summary>
    public Rejection ThenRejected(RejectionKind kind, string? field = null)
    {
        Assert.True(Decision.Rejection is not null, $"Expected {kind}, but it was accepted: {string.Join(", ", Decision.Events.Select(e => e.Data))}");
        var rejection = Decision.Rejection;
        Assert.True(kind == rejection.Kind, $"Expected {kind}, got {rejection.Kind}: {rejection.Detail} {string.Join("; ", rejection.Errors?.Keys ?? [])}");
        if (field is not null)
        {
            Assert.Contains(field, rejection.Errors?.Keys ?? []);
        }

        Assert.Empty(Decision.Events);
        Assert.Equal(_eventsBefore, _log.Events.Count);
        return rejection;
    }
}
