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

    public async Task<ReadTimes?> ResolveAsync(
        string? at, string? asOf, NpgsqlConnection connection, FieldErrors errors, CancellationToken cancellationToken, string atField = "at")
    {
        ArgumentNullException.ThrowIfNull(errors);
        var requestedAt = Parse(errors, atField, at);
        var requestedAsOf = Parse(errors, "asOf", asOf);
        if (errors.Any)
        {
            return null;
        }

        var settled = await recordClock.SettledNowAsync(connection, cancellationToken);
        var asksEarlier = requestedAsOf is { } asked && asked < settled;
        return new ReadTimes(requestedAt ?? Instants.Normalize(clock.GetUtcNow()), asksEarlier ? requestedAsOf!.Value : settled, !asksEarlier);
    }
}
