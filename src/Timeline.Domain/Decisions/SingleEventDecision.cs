using Timeline.Domain.Policies;

namespace Timeline.Domain.Decisions;

/// <summary>
/// The shape shared by every command that adds one effective event to an existing instrument:
/// find it, build the event from the command's fields (a field that does not parse
/// is recorded as an error and left at its default), check every field, check it fits the state
/// at its effective time.
/// </summary>
internal static class SingleEventDecision
{
    public static Decision Decide(
        string policyId,
        PolicyHistories histories,
        DecisionContext context,
        Func<InstrumentRecord, FieldErrors, IEffectiveEvent> build)
    {
        var record = InstrumentRecord.Of(histories.Of(policyId));
        if (record is null)
        {
            return Rejection.NotFound(policyId);
        }

        var errors = new FieldErrors();
        var effective = build(record, errors);
        EventRules.Validate(effective, errors);
        if (errors.Any)
        {
            return errors.ToRejection();
        }

        return EffectiveChecks.Fits(effective, record.Issued, record.At(effective.EffectiveAt))
            ?? Decision.Accept([new NewEvent(policyId, context.NewEventId(), effective)]);
    }
}
