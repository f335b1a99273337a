using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timeline.Domain.Policies;

namespace Timeline.Domain.Correction;

/// <summary>
/// How a correction replaces fields of the event it corrects: its changes are a JSON merge patch
/// (RFC 7396) of the event's stored data. A named field is replaced; an object (provisions) is merged
/// key by key; null removes.
/// </summary>
public static class CorrectionPatch
{
    // The instrument's identity cannot be corrected, nor the relations that wrote events into other
    // streams: those are corrected in the other stream, where their events live.
    private static readonly HashSet<string> FixedFields = new(StringComparer.Ordinal) { "policyId", "rescinds", "supersedes" };

    /// <summary>The fields of an event type a correction may name.</summary>
    public static IReadOnlySet<string> CorrectableFields(Type eventType) =>
        CorrectableFieldsByType.TryGetValue(eventType, out var fields) ? fields : new HashSet<string>();

    private static readonly Dictionary<Type, IReadOnlySet<string>> CorrectableFieldsByType = PolicyEventTypes.All.Keys
        .Where(type => type != typeof(PolicyCorrected))
        .ToDictionary(
            type => type,
            type => (IReadOnlySet<string>)PolicyJson.Options.GetTypeInfo(type).Properties
                .Select(property => property.Name)
                .Where(name => !FixedFields.Contains(name))
                .ToHashSet(StringComparer.Ordinal));

    // Events and changes are immutable, and a fold re-reads the same corrected events at every record time:
    // each correction is applied to each event once, and the result kept as long as both are alive.
    private static readonly ConditionalWeakTable<IEffectiveEvent, ConditionalWeakTable<CorrectionChanges, IEffectiveEvent>> Applied = [];

    /// <summary>The event with the changes applied. Throws <see cref="JsonException"/> when the result is not a valid event.</summary>
    public static IEffectiveEvent Apply(IEffectiveEvent target, CorrectionChanges changes)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(changes);
        var byChanges = Applied.GetValue(target, _ => []);
        return byChanges.TryGetValue(changes, out var known) ? known : byChanges.GetValue(changes, _ => ApplyOnce(target, changes));
    }

    private static IEffectiveEvent ApplyOnce(IEffectiveEvent target, CorrectionChanges changes)
    {
        var type = target.GetType();
        var data = (JsonObject)JsonSerializer.SerializeToNode(target, type, PolicyJson.Options)!;
        Merge(data, changes.Fields);
        return (IEffectiveEvent)(data.Deserialize(type, PolicyJson.Options)
            ?? throw new JsonException($"The corrected {PolicyEventTypes.NameOf(target)} event is empty."));
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject patchObject && target[name] is JsonObject targetObject)
            {
                Merge(targetObject, patchObject);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }

    /// <summary>
    /// The log with every correction recorded in it applied, in record order, to the event it names:
    /// the effective events as the record now reads them. Corrections that name no event are ignored.
    /// </summary>
    public static IReadOnlyList<RecordedEvent> ApplyAll(IEnumerable<RecordedEvent> history)
    {
        var ordered = history as IReadOnlyList<RecordedEvent> ?? [.. history];
        if (!InVersionOrder(ordered))
        {
            ordered = [.. ordered.OrderBy(e => e.Version)];
        }

        var events = new List<RecordedEvent>(ordered.Count);
        Dictionary<Guid, int>? indexById = null;
        foreach (var recorded in ordered)
        {
            if (recorded.Data is PolicyCorrected)
            {
                indexById ??= IndexById(events);
            }

            switch (recorded.Data)
            {
                case IEffectiveEvent:
                    indexById?[recorded.EventId] = events.Count;
                    events.Add(recorded);
                    break;
                case PolicyCorrected correction when indexById!.TryGetValue(correction.EventId, out var index):
                    events[index] = events[index] with { Data = Apply((IEffectiveEvent)events[index].Data, correction.Changes) };
                    break;
            }
        }

        return events;
    }

    private static bool InVersionOrder(IReadOnlyList<RecordedEvent> history)
    {
        for (var i = 1; i < history.Count; i++)
        {
            if (history[i].Version < history[i - 1].Version)
            {
                return false;
            }
        }

        return true;
    }

    // Built only when a correction appears: most histories have none.
    private static Dictionary<Guid, int> IndexById(List<RecordedEvent> events)
    {
        var index = new Dictionary<Guid, int>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            index[events[i].EventId] = i;
        }

        return index;
    }
}
