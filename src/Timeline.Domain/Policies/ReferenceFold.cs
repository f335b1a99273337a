using Timeline.Domain.Correction;

namespace Timeline.Domain.Policies;

/// <summary>
/// The definition of "state at (<c>at</c>, <c>asOf</c>)" from TIME-MODEL.md, written to be obviously
/// right rather than fast. It is the oracle the read model is tested against.
/// </summary>
public static class ReferenceFold
{
    /// <summary>
    /// The instrument at effective time <paramref name="at"/> as the record stood at <paramref name="asOf"/>,
    /// or null when nothing about it had been recorded by then.
    /// </summary>
    public static PolicySnapshot? StateAt(IEnumerable<RecordedEvent> history, DateTimeOffset at, DateTimeOffset asOf)
    {
        // 1. The events recorded at or before asOf.
        var known = history.Where(e => e.RecordedAt <= asOf).ToList();

        // 2. Corrections replace the fields they name; the latest correction wins.
        var corrected = CorrectionPatch.ApplyAll(known);

        // 3. Effective order, ties by record order; fold those effective at or before at.
        var ordered = corrected
            .OrderBy(e => ((IEffectiveEvent)e.Data).EffectiveAt)
            .ThenBy(e => e.Version)
            .Select(e => (IEffectiveEvent)e.Data)
            .ToList();

        var issued = ordered.OfType<PolicyIssued>().FirstOrDefault();
        if (issued is null)
        {
            return null;
        }

        PolicyState? state = null;
        foreach (var effective in ordered.TakeWhile(e => e.EffectiveAt <= at))
        {
            state = state is null
                ? effective is PolicyIssued first ? PolicyState.Create(first) : null
                : state.Apply(effective);
        }

        // 4. Status; known but not yet effective is pending, with the content it will have.
        return state is null
            ? new PolicySnapshot(PolicyState.Create(issued) with { Status = PolicyStatus.Pending }, PolicyStatus.Pending)
            : new PolicySnapshot(state, state.StatusAt(at));
    }
}
