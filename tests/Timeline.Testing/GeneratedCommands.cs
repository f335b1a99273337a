using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CsCheck;
using Timeline.Domain.Amending;
using Timeline.Domain.Decisions;
using Timeline.Domain.Expiry;
using Timeline.Domain.Issuing;
using Timeline.Domain.Policies;
using Timeline.Domain.Rescission;
using Timeline.Domain.Suspension;

namespace Timeline.Testing;

/// <summary>A command before it has a record time, with a readable description.</summary>
internal sealed record ScriptAction(string Description, Func<InMemoryPolicyLog, IPolicyCommand> CommandFor)
{
    private static readonly JsonSerializerOptions Readable = new(PolicyJson.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>A command as it will be sent, described as its JSON (less what it computes, such as the streams it reads).</summary>
    public static ScriptAction Of(IPolicyCommand command)
    {
        var json = JsonSerializer.SerializeToNode(command, command.GetType(), Readable)!.AsObject();
        json.Remove("streamsRead");
        return new($"{command.GetType().Name} {json.ToJsonString(Readable)}", _ => command);
    }
}

/// <summary>Random commands on a few instruments, with fields drawn so that most fit and some do not.</summary>
internal static class GeneratedCommands
{
    private static readonly string[] ProvisionKeys = ["rate", "threshold", "destinations", "fee.usd"];
    private static readonly string[] Countries = ["CN", "MO", "HK", "RU", "IR"];

    // Jurisdictions with their default zones, and instruments that name their own zone.
    private static readonly (string Jurisdiction, string? TimeZone)[] Places =
    [
        ("US", null), ("US", null), ("US", "America/Los_Angeles"), ("US-CA", null),
        ("EU", null), ("JP", null), ("IN", null), ("GB", "Etc/UTC"),
    ];

    /// <summary>
    /// The issue of <paramref name="id"/>; sometimes it rescinds or supersedes one of <paramref name="earlier"/>,
    /// the instruments issued before it (or not at all, when their issue was rejected).
    /// </summary>
    public static Gen<ScriptAction> Issue(string id, IReadOnlyList<string> earlier) =>
        from kind in Gen.OneOf("executive-order", "proclamation", "rule", "statute", "guidance", "license-policy", "other")
        from place in Gen.OneOf(Places)
        from effectiveAt in GeneratedTimes.Early
        from expiresAt in Gen.Frequency((3, Gen.Const((string?)null)), (1, GeneratedTimes.Any.Select(time => (string?)time)))
        from provisions in SomeProvisions(0, 3)
        from relation in Gen.Frequency((4, Gen.Const(0)), (1, Gen.Const(1)), (1, Gen.Const(2)))
        from other in OneOfOrNull(earlier)
        select ScriptAction.Of(new IssuePolicy(
            id,
            kind,
            $"Instrument {id}",
            place.Jurisdiction,
            ["trade", "export-controls"],
            effectiveAt,
            place.TimeZone,
            ExpiresAt: expiresAt,
            Provisions: provisions,
            Rescinds: relation == 1 && other is not null ? [other] : null,
            Supersedes: relation == 2 && other is not null ? [other] : null));

    /// <summary>
    /// One or two commands (a suspension and its reinstatement) on one of <paramref name="ids"/>;
    /// an issue here repeats one.
    /// </summary>
    public static Gen<ScriptAction[]> Other(IReadOnlyList<string> ids) =>
        Gen.OneOf(ids.ToArray()).SelectMany(id => Gen.Frequency(
            (25, One(Amend(id))),
            (5, One(Suspend(id))),
            (5, Suspension(id)),
            (2, One(Reinstate(id))),
            (5, One(Rescind(id, ids))),
            (3, One(Supersede(id, ids))),
            (7, One(Extend(id))),
            (4, One(Expire(id))),
            (16, One(GeneratedCorrections.Correct(id))),
            (1, One(Issue(id, ids.Where(other => other != id).ToList())))));

    private static Gen<ScriptAction[]> One(Gen<ScriptAction> action) => action.Select(one => new[] { one });

    /// <summary>A suspension followed by its reinstatement on the same day or a later one.</summary>
    private static Gen<ScriptAction[]> Suspension(string id) =>
        GeneratedTimes.Ordered.Select(times => new[]
        {
            ScriptAction.Of(new SuspendPolicy(id, times.First, "court injunction", By: "district court")),
            ScriptAction.Of(new ReinstatePolicy(id, times.Then, "injunction stayed on appeal")),
        });

    private static Gen<ScriptAction> Amend(string id) =>
        from effectiveAt in GeneratedTimes.Any
        from set in SomeProvisions(0, 2)
        from remove in Gen.Frequency((4, Gen.Const(false)), (1, Gen.Const(true)))
        from removed in Gen.OneOf(ProvisionKeys)
        select ScriptAction.Of(new AmendPolicy(
            id,
            effectiveAt,
            set,
            (remove && !set.ContainsKey(removed)) || set.Count == 0 ? [removed] : null,
            Summary: "generated amendment"));

    private static Gen<ScriptAction> Suspend(string id) =>
        GeneratedTimes.Any.Select(at => ScriptAction.Of(new SuspendPolicy(id, at, "court injunction", By: "district court")));

    private static Gen<ScriptAction> Reinstate(string id) =>
        GeneratedTimes.Any.Select(at => ScriptAction.Of(new ReinstatePolicy(id, at, "injunction stayed on appeal")));

    private static Gen<ScriptAction> Rescind(string id, IReadOnlyList<string> ids) =>
        Gen.Select(GeneratedTimes.Any, OtherThan(id, ids), (at, by) => ScriptAction.Of(new RescindPolicy(id, at, by)));

    private static Gen<ScriptAction> Supersede(string id, IReadOnlyList<string> ids) =>
        Gen.Select(GeneratedTimes.Any, OtherThan(id, ids), (at, by) => ScriptAction.Of(new SupersedePolicy(id, at, by ?? "successor")));

    /// <summary>An extension; without an effective time it applies from its record time ("now").</summary>
    private static Gen<ScriptAction> Extend(string id) =>
        from times in GeneratedTimes.Ordered
        from now in Gen.Frequency((3, Gen.Const(false)), (1, Gen.Const(true)))
        select ScriptAction.Of(new ExtendPolicy(id, times.Then, now ? null : times.First));

    private static Gen<ScriptAction> Expire(string id) =>
        GeneratedTimes.Any.Select(at => ScriptAction.Of(new ExpirePolicy(id, at)));

    /// <summary>Another instrument of the script, or null when the script has only one.</summary>
    private static Gen<string?> OtherThan(string id, IReadOnlyList<string> ids) => OneOfOrNull([.. ids.Where(other => other != id)]);

    private static Gen<string?> OneOfOrNull(IReadOnlyList<string> ids) =>
        ids.Count == 0 ? Gen.Const((string?)null) : Gen.OneOf([.. ids.Select(other => (string?)other)]);

    internal static Gen<Provisions> SomeProvisions(int min, int max) =>
        Gen.Select(Gen.OneOf(ProvisionKeys), Gen.Int[1, Countries.Length]).Array[min, max]
            .Select(pairs => Provisions.From(pairs
                .DistinctBy(pair => pair.Item1)
                .Select(pair => KeyValuePair.Create(pair.Item1, ValueOf(pair.Item1, pair.Item2)))));

    internal static ProvisionValue ValueOf(string key, int value) =>
        key == "destinations" ? ProvisionValue.Of(Countries.Take(value).ToArray()) : ProvisionValue.Of(value * 1000);
}
