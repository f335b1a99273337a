using System.Text.Json;
using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;

namespace Timeline.Dataset.Format;

/// <summary>An entry the rehearsal refused, and why.</summary>
public sealed record EntryProblem(DatasetEntry Entry, string Problem)
{
    public override string ToString() => $"{Entry.File}: entry '{Entry.Id}' ({Entry.Write.KindName} {Entry.Write.PolicyId}): {Problem}";
}

/// <summary>
/// The dataset written to an empty store in memory: every entry decided by the same domain commands the
/// service runs, one after the other. A dataset that rehearses cleanly loads cleanly into an empty store,
/// so the loaders rehearse first and write nothing when an entry would be refused. The histories it
/// builds are what the instruments page is generated from.
/// </summary>
public sealed class Rehearsal
{
    private static readonly DateTimeOffset FirstRecordTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, List<RecordedEvent>> _histories = new(StringComparer.Ordinal);
    private readonly List<EntryProblem> _problems = [];
    private long _events;
    private long _ids;

    private Rehearsal()
    {
    }

    /// <summary>The entries that would be refused, in order; empty when the dataset loads cleanly.</summary>
    public IReadOnlyList<EntryProblem> Problems => _problems;

    /// <summary>How many events the entries write, those written into other instruments' streams included.</summary>
    public long EventCount => _events;

    public static Rehearsal Run(IEnumerable<DatasetEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var rehearsal = new Rehearsal();
        foreach (var entry in entries)
        {
            rehearsal.Write(entry);
        }

        return rehearsal;
    }

    /// <summary>One instrument's recorded events, in version order; empty when it is unknown.</summary>
    public IReadOnlyList<RecordedEvent> HistoryOf(string policyId) =>
        _histories.TryGetValue(policyId, out var history) ? history : [];

    private void Write(DatasetEntry entry)
    {
        IPolicyCommand command;
        try
        {
            command = entry.Write.ToCommand();
        }
        catch (JsonException exception)
        {
            _problems.Add(new EntryProblem(entry, "the body does not bind: " + exception.Message));
            return;
        }

        var recordedAt = FirstRecordTime + (Instants.Resolution * (_events + 1));
        var decision = command.Decide(Load(command), new DecisionContext(recordedAt, () => NewEventId(++_ids)));
        if (decision.Rejection is { } rejection)
        {
            _problems.Add(new EntryProblem(entry, Describe(rejection)));
            return;
        }

        foreach (var added in decision.Events)
        {
            if (!_histories.TryGetValue(added.PolicyId, out var history))
            {
                _histories[added.PolicyId] = history = [];
            }

            history.Add(new RecordedEvent(added.EventId, added.PolicyId, history.Count + 1, recordedAt, added.Data, added.CausedBy?.ToString()));
            _events++;
        }
    }

    private PolicyHistories Load(IPolicyCommand command)
    {
        var loaded = new Dictionary<string, IReadOnlyList<RecordedEvent>>(StringComparer.Ordinal);
        if (command.PolicyId is { } id)
        {
            loaded[id] = HistoryOf(id);
            foreach (var other in command.AlsoReads(InstrumentRecord.Of(loaded[id])))
            {
                loaded[other] = HistoryOf(other);
            }
        }

        return new PolicyHistories(loaded);
    }

    // Repeatable ids, so that two rehearsals of one dataset build the same histories.
    private static Guid NewEventId(long number) => new($"00000000-0000-0000-0000-{number:x12}");

    public static string Describe(Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        var fields = rejection.Errors is null
            ? string.Empty
            : " " + string.Join("; ", rejection.Errors.Select(error => $"{error.Key}: {string.Join(", ", error.Value)}"));
        return $"{rejection.Kind}: {rejection.Detail}{fields}";
    }
}
