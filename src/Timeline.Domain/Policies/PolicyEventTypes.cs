using System.Collections.Frozen;

namespace Timeline.Domain.Policies;

/// <summary>
/// The stored names of the events: public API, the <c>type</c> of every history and audit line.
/// A name never changes once written; a new event gets a new name.
/// </summary>
public static class PolicyEventTypes
{
    public const string Issued = "issued";
    public const string Amended = "amended";
    public const string Suspended = "suspended";
    public const string Reinstated = "reinstated";
    public const string Rescinded = "rescinded";
    public const string Superseded = "superseded";
    public const string Extended = "extended";
    public const string Expired = "expired";
    public const string Corrected = "corrected";

    public static IReadOnlyDictionary<Type, string> All { get; } = new Dictionary<Type, string>
    {
        [typeof(PolicyIssued)] = Issued,
        [typeof(PolicyAmended)] = Amended,
        [typeof(PolicySuspended)] = Suspended,
        [typeof(PolicyReinstated)] = Reinstated,
        [typeof(PolicyRescinded)] = Rescinded,
        [typeof(PolicySuperseded)] = Superseded,
        [typeof(PolicyExtended)] = Extended,
        [typeof(PolicyExpired)] = Expired,
        [typeof(PolicyCorrected)] = Corrected,
    };

    private static readonly FrozenDictionary<string, Type> TypesByName = All.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static string NameOf(IPolicyEvent policyEvent) => All[policyEvent.GetType()];

    /// <summary>The event type stored in the log under <paramref name="name"/>; throws for a name the log should not hold.</summary>
    public static Type TypeNamed(string name) =>
        TypesByName.GetValueOrDefault(name) ?? throw new InvalidOperationException($"The log holds an event of unknown type '{name}'.");

    /// <summary>The event as a noun for sentences: "an amendment", "a rescission".</summary>
    public static string Describe(IPolicyEvent policyEvent) => policyEvent switch
    {
        PolicyIssued => "the issue",
        PolicyAmended => "an amendment",
        PolicySuspended => "a suspension",
        PolicyReinstated => "a reinstatement",
        PolicyRescinded => "a rescission",
        PolicySuperseded => "a supersession",
        PolicyExtended => "an extension",
        PolicyExpired => "an expiry",
        PolicyCorrected => "a correction",
        _ => "an event",
    };
}
