using System.Globalization;
using NodaTime;
using Timeline.Domain.Time;

namespace Timeline.Cli.Output;

/// <summary>
/// How times read on screen: effective times in the instrument's own zone (as its text states them, "00:01 EDT"),
/// record times in UTC to the second, so the two clocks never look alike.
/// </summary>
internal static class TimeDisplay
{
    /// <summary>An effective time in <paramref name="zoneId"/> (default the legal zone): a date alone when it is the start of that day.</summary>
    public static string Effective(DateTimeOffset? value, string? zoneId = null)
    {
        if (value is null)
        {
            return "-";
        }

        var zone = TimeZones.TryFind(zoneId, out var found) ? found : TimeZones.Get(TimeZones.DefaultZoneId);
        var local = Instant.FromDateTimeOffset(value.Value).InZone(zone);
        var date = local.Date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
        if (local.TimeOfDay == LocalTime.Midnight)
        {
            return date;
        }

        var time = local.TimeOfDay.ToString(local.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture);
        return $"{date} {time} {local.GetZoneInterval().Name}";
    }

    /// <summary>A record time, in UTC to the second.</summary>
    public static string Recorded(DateTimeOffset? value) =>
        value is null ? "-" : value.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A time the user asked about and the instant the service resolved it to: "2025-09-21 (to 2025-09-22 03:59:59Z)".</summary>
    public static string Asked(string? asked, DateTimeOffset resolved) =>
        asked is null ? $"now ({Recorded(resolved)})" : $"{asked} ({Recorded(resolved)})";
}
