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

    /// <summary>The most bytes <see cref="FormatUtf8"/> writes: <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>.</summary>
    public const int MaxFormattedLength = 27;

    /// <summary>RFC 3339 in UTC with only as many fractional digits as needed.</summary>
    public static string Format(DateTimeOffset value)
    {
        Span<byte> utf8 = stackalloc byte[MaxFormattedLength];
        return System.Text.Encoding.ASCII.GetString(utf8[..FormatUtf8(value, utf8)]);
    }

    /// <summary>
    /// <see cref="Format"/> as UTF-8 into <paramref name="destination"/> (at least <see cref="MaxFormattedLength"/>
    /// bytes), returning the bytes written. Every state the read model stores writes several instants, and a custom
    /// format string was parsed again for each (a rebuild's profile showed it): the sortable pattern is a fast path.
    /// </summary>
    public static int FormatUtf8(DateTimeOffset value, Span<byte> destination)
    {
        var utc = Normalize(value).UtcDateTime;
        if (destination.Length < MaxFormattedLength || !utc.TryFormat(destination, out var written, "s", CultureInfo.InvariantCulture))
        {
            throw new ArgumentException($"Formatting an instant needs {MaxFormattedLength} bytes.", nameof(destination));
        }

        // Microseconds (Normalize dropped the rest), without trailing zeros, as the format's FFFFFF did.
        var fraction = (int)(utc.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond);
        if (fraction != 0)
        {
            var digits = 6;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }

            destination[written] = (byte)'.';
            for (var i = digits; i > 0; i--)
            {
                destination[written + i] = (byte)('0' + (fraction % 10));
                fraction /= 10;
            }

            written += digits + 1;
        }

        destination[written] = (byte)'Z';
        return written + 1;
    }
}
