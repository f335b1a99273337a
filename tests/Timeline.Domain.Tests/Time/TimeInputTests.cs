using Timeline.Domain.Time;

namespace Timeline.Domain.Tests.Time;

/// <summary>TIME-MODEL.md, "Dates": <c>at</c>, <c>asOf</c> and source times are an RFC 3339 instant or a date.</summary>
public class TimeInputTests
{
    [Theory]
    [InlineData("2025-01-20", 2025, 1, 20)]
    [InlineData("1000-01-01", 1000, 1, 1)]
    [InlineData("9998-12-31", 9998, 12, 31)]
    [InlineData("2024-02-29", 2024, 2, 29)]
    public void ADate_ParsesAsACalendarDate(string text, int year, int month, int day) =>
        Assert.Equal(new TimeInput.CalendarDate(new DateOnly(year, month, day)), TimeInput.Parse(text));

    [Theory]
    [InlineData("2025-01-20T17:00:00Z", "2025-01-20T17:00:00Z")]
    [InlineData("2025-01-20T12:00:00-05:00", "2025-01-20T17:00:00Z")]
    [InlineData("2025-01-21T02:00:00+09:00", "2025-01-20T17:00:00Z")]
    [InlineData("2025-01-20T22:30:00+05:30", "2025-01-20T17:00:00Z")]
    [InlineData("2025-01-20T17:00:00+00:00", "2025-01-20T17:00:00Z")]
    [InlineData("2025-09-21T00:01:00-04:00", "2025-09-21T04:01:00Z")]
    [InlineData("1000-01-01T00:00:00Z", "1000-01-01T00:00:00Z")]
    [InlineData("9998-12-31T23:59:59.999999Z", "9998-12-31T23:59:59.999999Z")]
    public void AnInstantWithAnOffset_ParsesAsThatExactInstant(string text, string utc) =>
        Assert.Equal(new TimeInput.ExactInstant(At.Utc(utc)), TimeInput.Parse(text));

    [Theory]
    [InlineData("2025-01-20T17:00:00.1Z", "2025-01-20T17:00:00.1Z")]
    [InlineData("2025-01-20T17:00:00.123456Z", "2025-01-20T17:00:00.123456Z")]
    [InlineData("2025-01-20T17:00:00.1234567Z", "2025-01-20T17:00:00.123456Z")]
    [InlineData("2025-01-20T17:00:00.9999999Z", "2025-01-20T17:00:00.999999Z")]
    [InlineData("2025-01-20T17:00:00.123456789Z", "2025-01-20T17:00:00.123456Z")]
    [InlineData("2025-01-20T12:00:00.0000009-05:00", "2025-01-20T17:00:00Z")]
    public void FractionalSeconds_AreTruncatedToMicroseconds(string text, string utc)
    {
        var instant = Assert.IsType<TimeInput.ExactInstant>(TimeInput.Parse(text));

        Assert.Equal(At.Utc(utc), instant.Value);
        Assert.Equal(0, instant.Value.UtcTicks % TimeSpan.TicksPerMicrosecond);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("yesterday")]
    [InlineData("2025-02-30")]
    [InlineData("2025-13-01")]
    [InlineData("2025-1-20")]
    [InlineData("20250120")]
    [InlineData("01/20/2025")]
    [InlineData("2025-01-20T17:00:00")]
    [InlineData("2025-01-20T17:00Z")]
    [InlineData("2025-01-20T24:00:01Z")]
    [InlineData("2025-01-20T17:00:00+25:00")]
    [InlineData("0999-12-31")]
    [InlineData("9999-01-01")]
    [InlineData("0999-12-31T23:59:59Z")]
    [InlineData("9999-01-01T00:00:00Z")]
    public void AnythingElse_IsRejectedWithAMessageNamingBothForms(string text)
    {
        Assert.False(TimeInput.TryParse(text, out var value, out var error));
        Assert.Null(value);
        Assert.Contains("2025-01-20", error, StringComparison.Ordinal);
        Assert.Contains("2025-01-20T17:00:00Z", error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => TimeInput.Parse(text));
    }

    [Fact]
    public void Null_IsRejected() => Assert.False(TimeInput.TryParse(null, out _, out _));
}
