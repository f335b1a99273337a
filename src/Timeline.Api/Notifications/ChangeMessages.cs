using System.Text.Json;
using JasperFx.Events;
using Marten;
using Timeline.Api.ReadModel;
using Timeline.Contracts;
using Timeline.Domain.Correction;
using Timeline.Domain.Policies;
using Timeline.Domain.Timelines;

namespace Timeline.Api.Notifications;

/// <summary>A page of the log as change messages: <see cref="LastSequence"/> is the last event read, <see cref="Full"/> says more may follow.</summary>
public sealed record LogPage(IReadOnlyList<PolicyChanged> Changes, long LastSequence, bool Full);

/// <summary>
/// Turns events of the log into <see cref="PolicyChanged"/> messages. The instrument's jurisdiction, topics,
/// title and kind are those of its issue as corrected up to the event, read from the stream itself, so the
/// publisher and the change stream say the same thing for the same event, whenever they read it.
/// </summary>
public sealed class ChangeMessages
{
    /// <summary>The messages for <paramref name="events"/>, in log order; events that are not policy events are left out.</summary>
    public async Task<IReadOnlyList<PolicyChanged>> ForAsync(IQuerySession session, IEnumerable<IEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var policyEvents = events.Where(e => e.Data is IPolicyEvent && e.StreamKey is not null).OrderBy(e => e.Sequence).ToList();
        var messages = new Dictionary<Guid, PolicyChanged>();
        foreach (var stream in policyEvents.GroupBy(e => e.StreamKey!, StringComparer.Ordinal))
        {
            var wanted = stream.ToDictionary(e => e.Version);
            var stored = await session.Events.FetchStreamAsync(stream.Key, wanted.Keys.Max(), token: cancellationToken);
            var history = stored.Select(PolicyTimelineProjection.ToRecorded).OrderBy(e => e.Version).ToList();
            var dataById = history.ToDictionary(e => e.EventId, e => e.Data);
            // One pass over the stream: the issue as corrected so far, at each event.
            (Guid Id, PolicyIssued Data)? issue = null;
            foreach (var recorded in history)
            {
                issue = recorded.Data switch
                {
                    PolicyIssued issued when issue is null => (recorded.EventId, issued),
                    PolicyCorrected correction when issue is { } current && correction.EventId == current.Id =>
                        (current.Id, (PolicyIssued)CorrectionPatch.Apply(current.Data, correction.Changes)),
                    _ => issue,
                };
                if (wanted.TryGetValue(recorded.Version, out var pageEvent))
                {
                    var instrument = issue?.Data ?? throw new InvalidOperationException($"Stream '{stream.Key}' has no issue before version {recorded.Version}.");
                    messages[pageEvent.Id] = Message(pageEvent, instrument, dataById);
                }
            }
        }

        return [.. policyEvents.Select(e => messages[e.Id])];
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

    private static PolicyChanged Message(IEvent stored, PolicyIssued instrument, IReadOnlyDictionary<Guid, IPolicyEvent> dataById)
    {
        var data = (IPolicyEvent)stored.Data;
        (DateTimeOffset? effectiveAt, string? citation, string summary, Guid? corrected) = data switch
        {
            IEffectiveEvent effective => ((DateTimeOffset?)effective.EffectiveAt, effective.Citation, ChangeSummary.Of(effective), (Guid?)null),
            PolicyCorrected correction => ((DateTimeOffset?)null, (string?)null, Describe(correction, dataById), (Guid?)correction.EventId),
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
    private static string Describe(PolicyCorrected correction, IReadOnlyDictionary<Guid, IPolicyEvent> dataById)
    {
        var what = dataById.TryGetValue(correction.EventId, out var target) ? PolicyEventTypes.Describe(target) : "an event";
        return $"Corrected {what}: {string.Join(", ", correction.Changes.FieldNames)} ({correction.Reason})";
    }
}
