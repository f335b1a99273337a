using CsCheck;

namespace Timeline.Testing;

/// <summary>
/// Random command scripts for property tests, deterministic from CsCheck's seed. A script works on
/// one to four instruments with three to twenty-five commands: each instrument's issue (the first
/// step issues the first instrument, the others come at random places) among amendments,
/// suspensions, reinstatements, rescissions, supersessions, extensions, expiries and corrections.
/// Effective times come from a small grid of days, as dates or exact instants, so that events often
/// share an effective time, land before events recorded earlier, or lie beyond the last record time.
/// Record times strictly increase, from a microsecond to a few weeks apart. Many commands are
/// rejected by the domain, as real ones would be; most scripts still build a history worth folding.
/// </summary>
public static class HistoryGenerator
{
    /// <summary>The instrument ids scripts use, in the order scripts take them.</summary>
    public static IReadOnlyList<string> PolicyIds { get; } = ["us-eo-a", "us-bis-rule-b", "eu-act-c", "jp-guide-d"];

    /// <summary>The record time before any script's first step.</summary>
    public static DateTimeOffset RecordStart { get; } = new(2023, 12, 1, 9, 0, 0, TimeSpan.Zero);

    // From a microsecond (neighbouring record times) to weeks.
    private static readonly Gen<TimeSpan> RecordGap = Gen.Frequency(
        (1, Gen.Const(TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond))),
        (2, Gen.Int[1, 59].Select(minutes => TimeSpan.FromMinutes(minutes))),
        (7, Gen.Int[1, 75].Select(days => TimeSpan.FromDays(days) + TimeSpan.FromSeconds(17))));

    public static Gen<PolicyScript> Scripts { get; } =
        from instruments in Gen.Int[1, PolicyIds.Count]
        from count in Gen.Int[3, 25]
        from script in ScriptOf([.. PolicyIds.Take(instruments)], count)
        select script;

    /// <summary>
    /// <paramref name="count"/> scripts drawn from <see cref="Scripts"/>, the same ones for the same
    /// <paramref name="seed"/>: for tests that replay a fixed batch (through the HTTP API, say) without sampling.
    /// </summary>
    public static IReadOnlyList<PolicyScript> Sample(int count, ulong seed)
    {
        var random = new PCG(1, seed);
        return [.. Enumerable.Range(0, count).Select(_ => Scripts.Generate(random, null, out Size _))];
    }

    private static Gen<PolicyScript> ScriptOf(string[] ids, int count)
    {
        var issued = Math.Min(ids.Length, count);
        return
            from issues in Sequence(ids.Take(issued).Select((id, i) => GeneratedCommands.Issue(id, ids[..i])))
            from others in GeneratedCommands.Other(ids).Array[count - issued]
            from places in Gen.Frequency((3, Gen.Int[0, (count - issued) / 4]), (1, Gen.Int[0, count - issued])).Array[issued - 1]
            from gaps in RecordGap.Array[count]
            select Script(issues, [.. others.SelectMany(actions => actions).Take(count - issued)], places, gaps);
    }

    /// <summary>The issues in order of the ids, the first one first and the others among the other commands at their drawn places (usually early).</summary>
    private static PolicyScript Script(IReadOnlyList<ScriptAction> issues, ScriptAction[] others, int[] places, TimeSpan[] gaps)
    {
        var actions = others.ToList();
        var sortedPlaces = places.Order().ToArray();
        for (var i = issues.Count - 1; i >= 1; i--)
        {
            actions.Insert(Math.Min(sortedPlaces[i - 1], actions.Count), issues[i]);
        }

        actions.Insert(0, issues[0]);
        var recordedAt = RecordStart;
        var steps = actions.Select((action, i) =>
        {
            recordedAt += gaps[i];
            return new ScriptStep(recordedAt, action.Description, action.CommandFor);
        });
        return new PolicyScript([.. steps]);
    }

    private static Gen<IReadOnlyList<T>> Sequence<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(
            Gen.Const<IReadOnlyList<T>>([]),
            (all, next) => from list in all from item in next select (IReadOnlyList<T>)[.. list, item]);
}
