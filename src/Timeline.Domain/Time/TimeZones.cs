using System.Diagnostics.CodeAnalysis;
using NodaTime;

namespace Timeline.Domain.Time;

/// <summary>
/// IANA time zones from the tz database embedded in NodaTime, so that a date resolves to the same
/// instant on every machine whatever its operating system's zone files.
/// </summary>
public static class TimeZones
{
    /// <summary>The legal time zone of the United States federal record, and the default everywhere.</summary>
    public const string DefaultZoneId = "America/New_York";

    // Where a jurisdiction's instruments state their dates. Anything else uses the default zone,
    // and an instrument may always name its own zone when it is issued.
    private static readonly Dictionary<string, string> JurisdictionZones = new(StringComparer.Ordinal)
    {
        ["US"] = "America/New_York",
        ["EU"] = "Europe/Brussels",
        ["GB"] = "Europe/London",
        ["CN"] = "Asia/Shanghai",
        ["JP"] = "Asia/Tokyo",
        ["KR"] = "Asia/Seoul",
        ["TW"] = "Asia/Taipei",
        ["NL"] = "Europe/Amsterdam",
        ["IN"] = "Asia/Kolkata",

        // States whose law is stated in another zone than the federal record's.
        ["US-CA"] = "America/Los_Angeles",
        ["US-WA"] = "America/Los_Angeles",
        ["US-OR"] = "America/Los_Angeles",
        ["US-NV"] = "America/Los_Angeles",
        ["US-AZ"] = "America/Phoenix",
        ["US-CO"] = "America/Denver",
        ["US-UT"] = "America/Denver",
        ["US-NM"] = "America/Denver",
        ["US-MT"] = "America/Denver",
        ["US-TX"] = "America/Chicago",
        ["US-IL"] = "America/Chicago",
        ["US-MN"] = "America/Chicago",
        ["US-WI"] = "America/Chicago",
        ["US-MO"] = "America/Chicago",
        ["US-LA"] = "America/Chicago",
        ["US-OK"] = "America/Chicago",
        ["US-IA"] = "America/Chicago",
        ["US-AL"] = "America/Chicago",
        ["US-MS"] = "America/Chicago",
        ["US-AR"] = "America/Chicago",
        ["US-HI"] = "Pacific/Honolulu",
        ["US-AK"] = "America/Anchorage",
    };

    public static bool TryFind(string? zoneId, [NotNullWhen(true)] out DateTimeZone? zone)
    {
        zone = string.IsNullOrWhiteSpace(zoneId) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId);
        return zone is not null;
    }

    /// <summary>The zone of a zone id already validated when it was stored.</summary>
    public static DateTimeZone Get(string zoneId) =>
        TryFind(zoneId, out var zone) ? zone : throw new ArgumentException($"Unknown time zone '{zoneId}'.", nameof(zoneId));

    /// <summary>The zone in which a jurisdiction's dates are stated ("US-CA" falls back to "US").</summary>
    public static string ZoneIdForJurisdiction(string jurisdiction)
    {
        if (JurisdictionZones.TryGetValue(jurisdiction, out var zone))
        {
            return zone;
        }

        var dash = jurisdiction.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && JurisdictionZones.TryGetValue(jurisdiction[..dash], out var parent) ? parent : DefaultZoneId;
    }
}
