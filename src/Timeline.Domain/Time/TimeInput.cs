using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using NodaTime;
using NodaTime.Text;

namespace Timeline.Domain.Time;

/// <summary>
/// A time as a client wrote it: an exact RFC 3339 instant, or a calendar date whose meaning
/// depends on where it is used (TIME-MODEL.md, "Dates"). This is the one parser for times.
/// </summary>
public abstract record TimeInput
{
    private static readonly OffsetDateTimePattern InstantPattern = OffsetDateTimePattern.Rfc3339;
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;

    /// <summary>The earliest and latest years accepted, so that day arithmetic never overflows.</summary>
    public const int MinYear = 1000;
    public const int MaxYear = 9998;

    private TimeInput()
    {
    }

    /// <summary>An exact instant, stated with its offset.</summary>
    public sealed record ExactInstant(DateTimeOffset Value) : TimeInput
    {
        public override string ToString() => Instants.Format(Value);
    }

    /// <summary>A calendar date with no time of day.</summary>
    public sealed record CalendarDate(DateOnly Value) : TimeInput
    {
        public override string ToString() => Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    public static TimeInput Instant(DateTimeOffset value) => new ExactInstant(Instants.Normalize(value));

    public static TimeInput Date(DateOnly value) => new CalendarDate(value);

    /// <summary>Parses <c>2025-01-20</c> or <c>2025-01-20T17:00:00Z</c> (any RFC 3339 offset).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out TimeInput? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            error = "a date (2025-01-20) or an RFC 3339 instant (2025-01-20T17:00:00Z) is required";
            return false;
        }

        if (trimmed.Length == 10)
        {
            var date = DatePattern.Parse(trimmed);
            if (date.Success && date.Value.Year is >= MinYear and <= MaxYear)
            {
                value = new CalendarDate(date.Value.ToDateOnly());
                error = null;
                return true;
            }
        }
        else
        {
            var instant = InstantPattern.Parse(trimmed);
            if (instant.Success && instant.Value.Year is >= MinYear and <= MaxYear)
            {
                value = new ExactInstant(Instants.Normalize(instant.Value.ToDateTimeOffset()));
                error = null;
                return true;
            }
        }

        error = $"'{Shorten(trimmed)}' is not a date (2025-01-20) or an RFC 3339 instant (2025-01-20T17:00:00Z) between the years {MinYear} and {MaxYear}";
        return false;
    }

    public static TimeInput Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    /// <summary>
    /// The instant a source date means: the start of that day in the instrument's zone
    /// ("effective November 17, 2023"). An exact instant is kept as stated.
    /// </summary>
    public DateTimeOffset StartOfDayIn(DateTimeZone zone) => this switch
    {
        ExactInstant exact => exact.Value,
        CalendarDate date => Instants.Normalize(zone.AtStartOfDay(LocalDate.FromDateOnly(date.Value)).ToDateTimeOffset()),
        _ => throw new UnreachableException(),
    };

    /// <summary>
    /// The instant a query date means: the last instant of that day in the legal zone, so that
    /// "on 2025-01-20" includes every change effective on that day. An exact instant is kept.
    /// </summary>
    public DateTimeOffset EndOfDayIn(DateTimeZone zone) => this switch
    {
        ExactInstant exact => exact.Value,
        CalendarDate date => Instants.Normalize(
            zone.AtStartOfDay(LocalDate.FromDateOnly(date.Value).PlusDays(1)).ToDateTimeOffset()) - Instants.Resolution,
        _ => throw new UnreachableException(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
