using System.Globalization;
using CsCheck;

namespace Timeline.Testing;

/// <summary>
/// Effective times from a small grid, so that generated events often share a time: a few dozen days
/// over three years (with the New York and Brussels daylight-saving changes), each written as a
/// date or as one of a few exact instants that collide with one another and with the dates.
/// </summary>
internal static class GeneratedTimes
{
    private static readonly DateOnly[] Days =
    [
        .. Enumerable.Range(0, 18).Select(step => new DateOnly(2024, 1, 1).AddDays(61 * step))
            .Concat([new(2024, 3, 10), new(2024, 3, 31), new(2024, 11, 3), new(2025, 3, 9), new(2025, 11, 2)])
            .Order(),
    ];

    private static readonly Func<DateOnly, string>[] ExactForms =
    [
        day => Iso(day) + "T00:00:00-05:00", // New York's midnight in winter: the instant its date means there
        day => Iso(day) + "T00:01:00-04:00", // "12:01 a.m. eastern daylight time"
        day => Iso(day) + "T12:00:00Z",
        day => Iso(day) + "T05:00:00.0000004Z", // kept to the microsecond: 05:00:00Z, New York's winter midnight again
        day => Iso(day) + "T23:59:59.999999+09:00",
    ];

    /// <summary>Any day of the grid.</summary>
    public static Gen<string> Any { get; } = On(Gen.Int[0, Days.Length - 1]);

    /// <summary>A day in the first third of the grid, where instruments usually take effect.</summary>
    public static Gen<string> Early { get; } = On(Gen.Int[0, Days.Length / 3]);

    /// <summary>Two times, the second on the same day as the first or a later one.</summary>
    public static Gen<(string First, string Then)> Ordered { get; } =
        from first in Gen.Int[0, Days.Length - 1]
        from then in Gen.Int[first, Math.Min(first + 4, Days.Length - 1)]
        from firstTime in On(Gen.Const(first))
        from thenTime in On(Gen.Const(then))
        select (firstTime, thenTime);

    private static Gen<string> On(Gen<int> dayIndex) =>
        Gen.Select(dayIndex, Gen.Int[0, 2 * ExactForms.Length - 1], (index, form) =>
            form < ExactForms.Length ? ExactForms[form](Days[index]) : Iso(Days[index]));

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
