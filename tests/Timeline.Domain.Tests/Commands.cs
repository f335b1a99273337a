using System.Text.Json.Nodes;
using Timeline.Domain.Amending;
using Timeline.Domain.Correction;
using Timeline.Domain.Expiry;
using Timeline.Domain.Issuing;
using Timeline.Domain.Policies;
using Timeline.Domain.Rescission;
using Timeline.Domain.Suspension;

namespace Timeline.Domain.Tests;

/// <summary>Short commands for specs: a US executive order (dates in America/New_York) unless a test says otherwise.</summary>
internal static class Commands
{
    public static IssuePolicy Issue(string id, string effectiveAt, params (string Key, object Value)[] provisions) =>
        new(id, "executive-order", $"Instrument {id}", "US", ["trade"], effectiveAt, Provisions: Provisions(provisions));

    public static AmendPolicy Amend(string id, string effectiveAt, params (string Key, object Value)[] set) =>
        new(id, effectiveAt, Provisions(set), null);

    public static AmendPolicy RemoveProvisions(string id, string effectiveAt, params string[] keys) =>
        new(id, effectiveAt, null, keys);

    public static SuspendPolicy Suspend(string id, string effectiveAt) => new(id, effectiveAt, "court injunction");

    public static ReinstatePolicy Reinstate(string id, string effectiveAt) => new(id, effectiveAt, "injunction stayed");

    public static RescindPolicy Rescind(string id, string effectiveAt, string? by = null) => new(id, effectiveAt, by);

    public static SupersedePolicy Supersede(string id, string effectiveAt, string by) => new(id, effectiveAt, by);

    public static ExtendPolicy Extend(string id, string expiresAt, string? effectiveAt = null) => new(id, expiresAt, effectiveAt);

    public static ExpirePolicy Expire(string id, string effectiveAt) => new(id, effectiveAt);

    public static CorrectEvent Correct(string id, Guid eventId, string changes) =>
        new(id, eventId.ToString(), JsonNode.Parse(changes)!.AsObject(), "wrong in the source");

    public static Provisions Provisions(params (string Key, object Value)[] items) =>
        Policies.Provisions.From(items.Select(item => KeyValuePair.Create(item.Key, ProvisionValue.Of(item.Value))));
}

/// <summary>Instants written as RFC 3339 text in tests, so that expected values read as the spec states them.</summary>
internal static class At
{
    public static DateTimeOffset Utc(string instant) =>
        DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
}
