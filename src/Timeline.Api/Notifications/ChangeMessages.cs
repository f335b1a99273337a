using System.Text.Json;
using JasperFx.Events;
using Marten;
using Timeline.Api.ReadModel;
using Timeline.Contracts;
using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using Timeline.Domain.Timelines;

namespace Timeline.Api.Notifications;

/// <summary>A page of the log as change messages: <see cref="LastSequence"/> is the last event read, <see cref="Full"/> says more may follow.</summary>
public sealed record LogPage(IReadOnlyList<PolicyChanged> Changes, long LastSequence, bool Full);

/// <summary>
/// Turns events of the log into <see cref="PolicyChanged"/> messages. The instrument's jurisdiction, topics,
/// title and kind are those of its issue as corrected up to the event, read from the log itself, so the
/// publisher and the change stream say the same thing for the same event, whenever they read it.
/// </summary>
public sealed class ChangeMessages
{
    /// <summary>The messages for <paramref name="events"/>, in log order; events that are not policy events are left out.</summary>
    public async Task<IReadOnlyList<PolicyChanged>> ForAsync(IQuerySession session, IEnumerable<IEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var policyEvents = events.Where(e => e.Data is IPolicyEvent && e.StreamKey is not null).OrderBy(e => e.Sequence).ToList();
        var histories = new Dictionary<string, IReadOnlyList<RecordedEvent>>(StringComparer.Ordinal);
        foreach (var stream in policyEvents.GroupBy(e => e.StreamKey!, StringComparer.Ordinal))
        {
            var stored = await session.Events.FetchStreamAsync(stream.Key, stream.Max(e => e.Version), token: cancellationToken);
            histories[stream.Key] = [.. stored.Select(PolicyTimelineProjection.ToRecorded)];
        }

        return [.. policyEvents.Select(e => Message(e, histories[e.StreamKey!]))];
    }

    /// <summary>The messages for up to <paramref name="limit"/> events of the log after global sequence <paramref name="afterSequence"/>.</summary>
    public async Task<LogPage> AfterAsync(IQuerySession session, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > afterSequence)
            .OrderBy(e => e.Sequence)
            .Take(limit)
            .ToListAsync(cancellationToken);
        var changes = await ForAsync(session, events, cancellationToken);
        return new LogPage(changes, events.Count == 0 ? afterSequence : events[^1].Sequence, events.Count == limit);
    }

    private static PolicyChanged Message(IEvent stored, IReadOnlyList<RecordedEvent> history)
    {
        var upToIt = history.Where(e => e.Version <= stored.Version).ToList();
        var instrument = InstrumentRecord.Of(upToIt)?.Issued
            ?? throw new InvalidOperationException($"Stream '{stored.StreamKey}' has no issue before version {stored.Version}.");
        var data = (IPolicyEvent)stored.Data;
        (DateTimeOffset? effectiveAt, string? citation, string summary, Guid? corrected) = data switch
        {
            IEffectiveEvent effective => ((DateTimeOffset?)effective.EffectiveAt, effective.Citation, ChangeSummary.Of(effective), (Guid?)null),
            PolicyCorrected correction => ((DateTimeOffset?)null, (string?)null, Describe(correction, upToIt), (Guid?)correction.EventId),
            _ => throw new InvalidOperationException($"Unknown policy event {data.GetType().Name}."),
        };
        return new PolicyChanged(
            stored.Id,
            stored.StreamKey!,
            PolicyEventTypes.NameOf(data),
            effectiveAt,
            stored.Timestamp,
            stored.Version,
            stored.Sequence,
            instrument.Jurisdiction,
            [.. instrument.Topics],
            citation,
            summary,
            instrument.Title,
            JsonNamingPolicy.KebabCaseLower.ConvertName(instrument.Kind.ToString()),
            corrected);
    }

    /// <summary>"Corrected an amendment: effectiveAt (took effect on publication)".</summary>
    private static string Describe(PolicyCorrected correction, IReadOnlyList<RecordedEvent> history)
    {
        var target = history.FirstOrDefault(e => e.EventId == correction.EventId)?.Data;
        var what = target is null ? "an event" : PolicyEventTypes.Describe(target);
        return $"Corrected {what}: {string.Join(", ", correction.Changes.FieldNames)} ({correction.Reason})";
    }
}
