using System.Globalization;
using CsCheck;
using Timeline.Domain.Time;

namespace Timeline.Domain.Tests.Time;

/// <summary>
/// Instants are written as RFC 3339 in UTC with only the fractional digits needed: every stored state, event and
/// response carries them, and a change of form would change the read model's rows and the audit chain's hashes.
/// </summary>
public class InstantFormatTests
{
    // The form as first defined, by a custom format string; the fast formatter must write exactly this.
    private static string ByFormatString(DateTimeOffset value) =>
        Instants.Normalize(value).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2025-01-20T17:00:00Z", "2025-01-20T17:00:00Z")]
    [InlineData("2025-01-20T12:00:00.5-05:00", "2025-01-20T17:00:00.5Z")]
    [InlineData("2025-01-20T17:00:00.000010Z", "2025-01-20T17:00:00.00001Z")]
    [InlineData("2025-01-20T17:00:00.123456Z", "2025-01-20T17:00:00.123456Z")]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999Z")]
    public void AnInstant_IsWrittenInUtcWithOnlyTheFractionalDigitsNeeded(string input, string expected) =>
        Assert.Equal(expected, Instants.Format(DateTimeOffset.Parse(input, CultureInfo.InvariantCulture)));

    [Fact]
    public void AnyInstant_IsWrittenAsTheFormatStringWroteIt_AndAsUtf8Alike() =>
        // A day's margin at both ends keeps every offset within the calendar's range.
        Gen.Select(Gen.Long[TimeSpan.TicksPerDay, DateTimeOffset.MaxValue.UtcTicks - TimeSpan.TicksPerDay], Gen.Int[-14 * 60, 14 * 60], Gen.Int[0, 2])
            .Sample((ticks, offsetMinutes, roundTo) =>
            {
                // Whole seconds and milliseconds are common in real records: make sure they come up, not only random ticks.
                ticks -= roundTo switch { 1 => ticks % TimeSpan.TicksPerSecond, 2 => ticks % TimeSpan.TicksPerMillisecond, _ => 0 };
                var value = new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
                var expected = ByFormatString(value);
                Span<byte> utf8 = stackalloc byte[Instants.MaxFormattedLength];
                var written = Instants.FormatUtf8(value, utf8);
                return Instants.Format(value) == expected && System.Text.Encoding.ASCII.GetString(utf8[..written]) == expected;
            });

    [Fact]
    public void ADestinationTooSmall_IsRefused() =>
        Assert.Throws<ArgumentException>(() => Instants.FormatUtf8(DateTimeOffset.UnixEpoch, new byte[Instants.MaxFormattedLength - 1]));
}
