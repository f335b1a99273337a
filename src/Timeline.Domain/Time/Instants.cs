using System.Globalization;

namespace Timeline.Domain.Time;

/// <summary>
/// Instants are kept in UTC at microsecond resolution, the resolution PostgreSQL stores,
/// so that a time read back from the store equals the time that was written.
/// </summary>
public static class Instants
{
    /// <summary>The smallest step between two distinct instants.</summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond);

    public static DateTimeOffset Normalize(DateTimeOffset value)
    {
        var utcTicks = value.UtcTicks;
        return new DateTimeOffset(utcTicks - (utcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }

    /// <summary>RFC 3339 in UTC with only as many fractional digits as needed.</summary>
    public static string Format(DateTimeOffset value) =>
        Normalize(value).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture);
}
