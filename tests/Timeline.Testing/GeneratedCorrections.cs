using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Timeline.Domain.Correction;
using Timeline.Domain.Policies;

namespace Timeline.Testing;

/// <summary>
/// Corrections of earlier events. The event is named by its number in the instrument's history when
/// the correction is applied (counting round a shorter history; 0: an event that does not exist), and
/// the corrected field is phrased for that event: a provision value is the issue's <c>provisions</c> or
/// an amendment's <c>set</c>.
/// </summary>
internal static class GeneratedCorrections
{
    /// <summary>An event id no log hands out.</summary>
    public static readonly Guid UnknownEventId = Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff");

    public static Gen<ScriptAction> Correct(string id) =>
        Gen.Frequency((4, AnyCorrection(id)), (1, IssueDateCorrection(id)));

    private static Gen<ScriptAction> AnyCorrection(string id) =>
        from eventNumber in Gen.Frequency((1, Gen.Const(0)), (4, Gen.Const(1)), (8, Gen.Int[2, 8]))
        from field in Gen.Frequency(
            (5, GeneratedTimes.Any.Select(time => (CorrectedField)new EffectiveTime(time))),
            (5, Gen.Select(Gen.OneOf("rate", "threshold", "destinations"), Gen.Int[0, 5], (key, value) => (CorrectedField)new Provision(key, value))),
            (2, GeneratedTimes.Any.Null(0.3).Select(time => (CorrectedField)new Expiry(time))),
            (1, Gen.Const((CorrectedField)new RecordTime("2020-01-01T00:00:00Z"))))
        select Action(id, eventNumber, field);

    /// <summary>A new effective time for the issue, near where issues take effect; it moves what the issue rescinded or superseded too.</summary>
    private static Gen<ScriptAction> IssueDateCorrection(string id) =>
        GeneratedTimes.Early.Select(time => Action(id, 1, new EffectiveTime(time)));

    private static ScriptAction Action(string id, int eventNumber, CorrectedField field) =>
        new($"CorrectEvent of {id} event #{eventNumber}: {field}", log => CorrectionOf(log, id, eventNumber, field));

    private static CorrectEvent CorrectionOf(InMemoryPolicyLog log, string id, int eventNumber, CorrectedField field)
    {
        var history = log.HistoryOf(id);
        var target = eventNumber == 0 || history.Count == 0 ? null : history[(eventNumber - 1) % history.Count];
        return new CorrectEvent(id, (target?.EventId ?? UnknownEventId).ToString(), field.Changes(target?.Data), "generated correction");
    }

    private abstract record CorrectedField
    {
        public abstract JsonObject Changes(IPolicyEvent? target);
    }

    private sealed record EffectiveTime(string Value) : CorrectedField
    {
        public override JsonObject Changes(IPolicyEvent? target) => new() { ["effectiveAt"] = Value };

        public override string ToString() => $"effectiveAt {Value}";
    }

    /// <summary>A provision's value, or its removal when <see cref="Value"/> is 0; on events without provisions, their citation.</summary>
    private sealed record Provision(string Key, int Value) : CorrectedField
    {
        public override JsonObject Changes(IPolicyEvent? target) => target switch
        {
            PolicyIssued => new() { ["provisions"] = new JsonObject { [Key] = Node() } },
            PolicyAmended => new() { ["set"] = new JsonObject { [Key] = Node() } },
            _ => new() { ["citation"] = $"Corrected {Key}" },
        };

        private JsonNode? Node() => Value == 0
            ? null
            : JsonSerializer.SerializeToNode(GeneratedCommands.ValueOf(Key, Value).Json);

        public override string ToString() => Value == 0 ? $"provision {Key} removed" : $"provision {Key} = {GeneratedCommands.ValueOf(Key, Value)}";
    }

    /// <summary>The expiry of an issue or an extension (null removes an issue's expiry); on other events, their citation.</summary>
    private sealed record Expiry(string? Value) : CorrectedField
    {
        public override JsonObject Changes(IPolicyEvent? target) => target is PolicyIssued or PolicyExtended
            ? new() { ["expiresAt"] = Value }
            : new() { ["citation"] = "Corrected expiry" };

        public override string ToString() => $"expiresAt {Value ?? "removed"}";
    }

    /// <summary>A record time, which no correction may change.</summary>
    private sealed record RecordTime(string Value) : CorrectedField
    {
        public override JsonObject Changes(IPolicyEvent? target) => new() { ["recordedAt"] = Value };

        public override string ToString() => $"recordedAt {Value}";
    }
}
