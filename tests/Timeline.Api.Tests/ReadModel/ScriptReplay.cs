using Microsoft.Extensions.DependencyInjection;
using Timeline.Api.Tests.Infrastructure;
using Timeline.Api.Writing;
using Timeline.Domain.Amending;
using Timeline.Domain.Correction;
using Timeline.Domain.Decisions;
using Timeline.Domain.Expiry;
using Timeline.Domain.Issuing;
using Timeline.Domain.Rescission;
using Timeline.Domain.Suspension;
using Timeline.Testing;

namespace Timeline.Api.Tests.ReadModel;

/// <summary>
/// Plays a generated script through the real write path (<see cref="PolicyWriter"/> on PostgreSQL), step by
/// step beside the in-memory log that builds its commands, under ids prefixed so that many scripts share one
/// database. Corrections name events by the in-memory ids; they are mapped to the ids the store gave.
/// Both paths must accept and reject the same commands.
/// </summary>
internal sealed class ScriptReplay(TimelineApp app, string prefix)
{
    private readonly Dictionary<Guid, Guid> _storedIds = [];

    public InMemoryPolicyLog Memory { get; } = new();

    public string Id(string scriptId) => prefix + scriptId;

    public IEnumerable<string> Instruments => Memory.Histories.Keys.Select(Id);

    public async Task PlayAsync(PolicyScript script)
    {
        var writer = app.Services.GetRequiredService<PolicyWriter>();
        var conditions = new WriteConditions("property-tests", prefix, prefix);
        foreach (var step in script.Steps)
        {
            var command = step.CommandFor(Memory);
            var expected = Memory.Execute(command, step.RecordedAt);
            // Extending without an effective time uses "now": the same now on both paths.
            app.Clock.AdjustTime(step.RecordedAt);
            var outcome = await writer.WriteAsync(Prefixed(command), conditions, TestContext.Current.CancellationToken);

            Assert.True(
                expected.IsAccepted == outcome.Rejection is null,
                $"{step}: in memory {(expected.IsAccepted ? "accepted" : expected.Rejection!.Detail)}, in PostgreSQL {(outcome.Rejection is null ? "accepted" : outcome.Rejection.Detail)}");
            if (expected.IsAccepted)
            {
                foreach (var (memoryEvent, storedId) in expected.Events.Zip(outcome.Result!.EventIds))
                {
                    _storedIds[memoryEvent.EventId] = storedId;
                }
            }
        }
    }

    private IPolicyCommand Prefixed(IPolicyCommand command) => command switch
    {
        IssuePolicy issue => issue with
        {
            PolicyId = Id(issue.PolicyId!),
            Rescinds = issue.Rescinds?.Select(Id).ToList(),
            Supersedes = issue.Supersedes?.Select(Id).ToList(),
        },
        AmendPolicy amend => amend with { PolicyId = Id(amend.PolicyId), ByPolicyId = OptionalId(amend.ByPolicyId) },
        SuspendPolicy suspend => suspend with { PolicyId = Id(suspend.PolicyId) },
        ReinstatePolicy reinstate => reinstate with { PolicyId = Id(reinstate.PolicyId) },
        RescindPolicy rescind => rescind with { PolicyId = Id(rescind.PolicyId), ByPolicyId = OptionalId(rescind.ByPolicyId) },
        SupersedePolicy supersede => supersede with { PolicyId = Id(supersede.PolicyId), ByPolicyId = OptionalId(supersede.ByPolicyId) },
        ExtendPolicy extend => extend with { PolicyId = Id(extend.PolicyId) },
        ExpirePolicy expire => expire with { PolicyId = Id(expire.PolicyId) },
        CorrectEvent correct => correct with
        {
            PolicyId = Id(correct.PolicyId),
            EventId = Guid.TryParse(correct.EventId, out var memoryId) && _storedIds.TryGetValue(memoryId, out var storedId) ? storedId.ToString() : correct.EventId,
        },
        _ => throw new ArgumentException($"{command.GetType().Name} is not a known command.", nameof(command)),
    };

    private string? OptionalId(string? id) => id is null ? null : Id(id);
}
