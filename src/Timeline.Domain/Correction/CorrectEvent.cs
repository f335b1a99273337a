using System.Text.Json;
using System.Text.Json.Nodes;
using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;

namespace Timeline.Domain.Correction;

/// <summary>
/// Correct fields of an earlier event of this instrument (a wrong effective date, a wrong amount).
/// <see cref="Changes"/> names the fields with their corrected values; see <see cref="CorrectionPatch"/>.
/// When the issue's effective time moves, the rescissions and supersessions it caused move with it.
/// </summary>
public sealed record CorrectEvent(string PolicyId, string? EventId, JsonObject? Changes, string? Reason) : IPolicyCommand
{
    private static readonly string[] TimeFields = ["effectiveAt", "expiresAt"];

    /// <summary>The instruments its issue rescinded or superseded: a moved issue moves their events too.</summary>
    public IEnumerable<string> AlsoReads(InstrumentRecord? record) =>
        record is null ? [] : record.Issued.Rescinds.Concat(record.Issued.Supersedes);

    public Decision Decide(PolicyHistories histories, DecisionContext context)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(context);
        var record = InstrumentRecord.Of(histories.Of(PolicyId));
        if (record is null)
        {
            return Rejection.NotFound(PolicyId);
        }

        var errors = new FieldErrors();
        if (!Guid.TryParse(EventId, out var eventId))
        {
            errors.Add("eventId", "is required: the id of the event to correct, as listed in the instrument's history");
        }

        FieldRules.Text(errors, "reason", Reason, FieldRules.MaxLongTextLength, required: true, multiline: true);
        if (Changes is null || Changes.Count == 0)
        {
            errors.Add("changes", "must name at least one field with its corrected value, e.g. {\"effectiveAt\": \"2025-01-20\"}");
        }

        if (errors.Any)
        {
            return errors.ToRejection();
        }

        var target = record.Find(eventId);
        if (target is null)
        {
            return Rejection.Unprocessable($"'{PolicyId}' has no event {eventId}; its history lists the events that can be corrected.");
        }

        if (target.Data is PolicyCorrected corrected)
        {
            return Rejection.Unprocessable($"Event {eventId} is itself a correction; correct event {corrected.EventId} instead.");
        }

        var current = record.Corrected(eventId)!;
        var changes = Normalize(Changes!, current, record, errors);
        if (errors.Any)
        {
            return errors.ToRejection();
        }

        var patchErrors = new FieldErrors("changes.");
        var patched = TryApply(current, changes, patchErrors);
        if (patched is null || patchErrors.Any)
        {
            return patchErrors.ToRejection();
        }

        if (patched.Equals(current))
        {
            return Rejection.Unprocessable($"The correction changes nothing: event {eventId} already reads so.");
        }

        var misfit = Fits(record, eventId, patched);
        if (misfit is not null)
        {
            return misfit;
        }

        var correction = new NewEvent(PolicyId, context.NewEventId(), new PolicyCorrected(PolicyId, eventId, changes, Reason!));
        var events = new List<NewEvent> { correction };
        if (patched is PolicyIssued movedIssue && movedIssue.EffectiveAt != current.EffectiveAt)
        {
            var cascade = MoveCausedEvents(histories, target, movedIssue, correction, context);
            if (cascade.Rejection is not null)
            {
                return cascade;
            }

            events.AddRange(cascade.Events);
        }

        return Decision.Accept(events);
    }

    /// <summary>Checks the names, and turns time values into instants the way commands do (dates in the instrument's zone).</summary>
    private static CorrectionChanges Normalize(JsonObject changes, IEffectiveEvent current, InstrumentRecord record, FieldErrors errors)
    {
        var allowed = CorrectionPatch.CorrectableFields(current.GetType());
        var normalized = (JsonObject)changes.DeepClone();
        foreach (var (name, _) in changes)
        {
            if (name is "recordedAt" or "recordTime" or "asOf")
            {
                errors.Add($"changes.{name}", "the record time is set by the store when an event is recorded and cannot be corrected");
            }
            else if (!allowed.Contains(name))
            {
                errors.Add($"changes.{name}", $"is not a correctable field of a {PolicyEventTypes.NameOf(current)} event; these are: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}");
            }
        }

        var zone = changes["timeZone"] is JsonValue zoneValue && zoneValue.TryGetValue<string>(out var zoneId) && TimeZones.TryFind(zoneId, out var newZone)
            ? newZone
            : record.Zone;
        foreach (var field in TimeFields.Where(changes.ContainsKey))
        {
            var value = changes[field];
            if (value is null && field == "expiresAt")
            {
                continue; // removes the expiry
            }

            if (value is JsonValue text && text.TryGetValue<string>(out var timeText))
            {
                var instant = FieldRules.SourceTime(errors, $"changes.{field}", timeText, zone, required: true);
                if (instant is not null)
                {
                    normalized[field] = Instants.Format(instant.Value);
                }
            }
            else
            {
                errors.Add($"changes.{field}", "must be a date (2025-01-20) or an RFC 3339 instant (2025-01-20T17:00:00Z)");
            }
        }

        return new CorrectionChanges(normalized);
    }

    private static IEffectiveEvent? TryApply(IEffectiveEvent current, CorrectionChanges changes, FieldErrors errors)
    {
        IEffectiveEvent patched;
        try
        {
            patched = CorrectionPatch.Apply(current, changes);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            errors.Add(string.Empty, $"the corrected event would not be valid: {exception.Message}");
            return null;
        }

        EventRules.Validate(patched, errors);
        return patched;
    }

    /// <summary>The corrected event must still fit the instrument where it now stands, and nothing may come before the issue.</summary>
    private static Rejection? Fits(InstrumentRecord record, Guid eventId, IEffectiveEvent patched)
    {
        var issued = patched as PolicyIssued ?? record.Issued;
        if (patched is PolicyIssued)
        {
            var earlier = record.CorrectedEvents.FirstOrDefault(e => e.EventId != eventId && ((IEffectiveEvent)e.Data).EffectiveAt < issued.EffectiveAt);
            if (earlier is not null)
            {
                return Rejection.Unprocessable(
                    $"'{record.PolicyId}' would take effect at {Instants.Format(issued.EffectiveAt)}, after its {PolicyEventTypes.NameOf(earlier.Data)} event {earlier.EventId} effective {Instants.Format(((IEffectiveEvent)earlier.Data).EffectiveAt)}; correct that event first.");
            }

            return null;
        }

        return EffectiveChecks.Fits(patched, issued, record.AtWithout(eventId, patched.EffectiveAt));
    }

    private Decision MoveCausedEvents(PolicyHistories histories, RecordedEvent issuedEvent, PolicyIssued movedIssue, NewEvent correction, DecisionContext context)
    {
        var events = new List<NewEvent>();
        foreach (var targetId in movedIssue.Rescinds.Concat(movedIssue.Supersedes))
        {
            var target = InstrumentRecord.Of(histories.Of(targetId));
            if (target is null)
            {
                continue;
            }

            foreach (var caused in target.History.Where(e => e.CausationId == issuedEvent.EventId.ToString() && e.Data is PolicyRescinded or PolicySuperseded))
            {
                var changes = new CorrectionChanges(new JsonObject { ["effectiveAt"] = Instants.Format(movedIssue.EffectiveAt) });
                var moved = CorrectionPatch.Apply(target.Corrected(caused.EventId)!, changes);
                var misfit = EffectiveChecks.Fits(moved, target.Issued, target.AtWithout(caused.EventId, moved.EffectiveAt));
                if (misfit is not null)
                {
                    return misfit with
                    {
                        Detail = $"Moving '{PolicyId}' to {Instants.Format(movedIssue.EffectiveAt)} moves its {PolicyEventTypes.NameOf(moved)} of '{targetId}' too, which does not fit: {misfit.Detail}",
                    };
                }

                var reason = $"Follows the correction of the effective time of '{PolicyId}': {Reason}";
                events.Add(new NewEvent(targetId, context.NewEventId(), new PolicyCorrected(targetId, caused.EventId, changes, reason), CausedBy: correction.EventId));
            }
        }

        return Decision.Accept(events);
    }
}
