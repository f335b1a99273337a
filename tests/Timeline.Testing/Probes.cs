using System.Globalization;
using System.Text.Json.Nodes;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;

namespace Timeline.Testing;

/// <summary>
/// The times worth asking about for one history: every time at which something is recorded or takes
/// effect (as first written and as any correction rewrites it), a microsecond either side, and times
/// far before and after everything.
/// </summary>
public static class Probes
{
    private static readonly DateTimeOffset FarPast = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset FarFuture = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] CorrectableTimes = ["effectiveAt", "expiresAt"];

    /// <summary>Effective times: each event's effective time and expiry, and those its corrections name.</summary>
    public static IReadOnlyList<DateTimeOffset> EffectiveTimes(IEnumerable<RecordedEvent> history, IEnumerable<DateTimeOffset> extra) =>
        AroundEach(history.SelectMany(e => TimesIn(e.Data)).Concat(extra));

    /// <summary>Record times: each event's record time.</summary>
    public static IReadOnlyList<DateTimeOffset> RecordTimes(IEnumerable<RecordedEvent> history, IEnumerable<DateTimeOffset> extra) =>
        AroundEach(history.Select(e => e.RecordedAt).Concat(extra));

    private static List<DateTimeOffset> AroundEach(IEnumerable<DateTimeOffset> times) =>
    [
        .. times
            .SelectMany(time => new[] { time - Instants.Resolution, time, time + Instants.Resolution })
            .Append(FarPast)
            .Append(FarFuture)
            .Distinct()
            .Order(),
    ];

    private static IEnumerable<DateTimeOffset> TimesIn(IPolicyEvent data) => data switch
    {
        PolicyIssued { ExpiresAt: { } expiresAt } issued => [issued.EffectiveAt, expiresAt],
        PolicyExtended extended => [extended.EffectiveAt, extended.ExpiresAt],
        IEffectiveEvent effective => [effective.EffectiveAt],
        PolicyCorrected corrected => CorrectableTimes
            .Select(field => corrected.Changes.Fields[field])
            .OfType<JsonValue>()
            .Select(value => DateTimeOffset.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture)),
        _ => [],
    };
}
