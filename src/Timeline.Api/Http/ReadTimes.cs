using NodaTime;
using Npgsql;
using Timeline.Api.Database;
using Timeline.Domain.Decisions;
using Timeline.Domain.Time;

namespace Timeline.Api.Http;

/// <summary>
/// The two instants a read resolved: effective time <c>at</c> and record time <c>asOf</c>. <see cref="AsOfIsSettledNow"/>:
/// <c>asOf</c> is the settled now, at or after every record time committed, so every row that holds is still open.
/// </summary>
public sealed record ReadTimes(DateTimeOffset At, DateTimeOffset AsOf, bool AsOfIsSettledNow = false);

/// <summary>
/// Resolves the <c>at</c> and <c>asOf</c> of a read (TIME-MODEL.md, "Dates"): a date means the end of that
/// day in the legal time zone; both default to now. <c>asOf</c> never goes past the settled now of the
/// record (see <see cref="RecordClock.SettledNowAsync"/>), so the answer echoed is the answer for that
/// instant, forever.
/// </summary>
public sealed class ReadClock(RecordClock recordClock, TimeProvider clock, DateTimeZone legalZone)
{
    public DateTimeZone LegalZone => legalZone;

    /// <summary>Parses a query time; a date is the end of that day in the legal zone. Null when absent or invalid (error recorded).</summary>
    public DateTimeOffset? Parse(FieldErrors errors, string field, string? value) =>
        value is null ? null : FieldRules.Time(errors, field, value, required: false)?.EndOfDayIn(legalZone);

    /// <summary>The settled now (<see cref="RecordClock.SettledNowAsync"/>).</summary>
    public Task<DateTimeOffset> SettledNowAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        recordClock.SettledNowAsync(connection, cancellationToken);

    /// <summary>The times as asked, parsed (<c>at</c> defaulting to now); null when one is invalid (errors recorded). No I/O.</summary>
    public RequestedTimes? Request(string? at, string? asOf, FieldErrors errors, string atField = "at")
    {
        ArgumentNullException.ThrowIfNull(errors);
        var requestedAt = Parse(errors, atField, at);
        var requestedAsOf = Parse(errors, "asOf", asOf);
        return errors.Any ? null : new RequestedTimes(requestedAt ?? Instants.Normalize(clock.GetUtcNow()), requestedAsOf);
    }

    /// <summary>The read's times once the settled now is known: <c>asOf</c> is the one asked if earlier, else the settled now.</summary>
    public static ReadTimes Settle(RequestedTimes requested, DateTimeOffset settled)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var asksEarlier = requested.AsOf is { } asked && asked < settled;
        return new ReadTimes(requested.At, asksEarlier ? requested.AsOf!.Value : settled, !asksEarlier);
    }

    /// <summary>The settled now as the first command of a batch (<see cref="RecordClock.SettledNowCommand"/>).</summary>
    public NpgsqlBatchCommand SettledNowCommand() => recordClock.SettledNowCommand();
}

/// <summary>
/// A read's times as asked, before the settled now is known: <c>at</c> (now when not asked) and <c>asOf</c> (null: now).
/// A query for a record time asked at or after the settled now gets the same rows as one for the settled now itself,
/// since nothing commits meanwhile with a later record time: a query built from these is right whatever the settled now is.
/// </summary>
public sealed record RequestedTimes(DateTimeOffset At, DateTimeOffset? AsOf);
