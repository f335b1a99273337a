using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NodaTime;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;

namespace Timeline.Domain.Decisions;

/// <summary>What a query filter value must look like.</summary>
public enum FilterKind
{
    Topic,
    Jurisdiction,
    PolicyId,
}

/// <summary>
/// What a well-formed field looks like. Commands and corrections are held to the same rules,
/// so a correction cannot store what a command could not.
/// </summary>
public static partial class FieldRules
{
    public const int MaxIdLength = 128;
    public const int MaxTitleLength = 500;
    public const int MaxShortTextLength = 300;
    public const int MaxLongTextLength = 4000;
    public const int MaxUrlLength = 2000;
    public const int MaxTopics = 32;
    public const int MaxProvisions = 256;
    public const int MaxProvisionJsonLength = 16_000;
    public const int MaxProvisionDepth = 5;
    public const int MaxRelated = 64;

    [GeneratedRegex("^[a-z0-9]+(?:[-._][a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex TopicPattern();

    [GeneratedRegex("^[A-Z]{2,3}(?:-[A-Z0-9]{1,8})?$", RegexOptions.CultureInvariant)]
    private static partial Regex JurisdictionPattern();

    /// <summary>Whether a string can be an instrument id at all; anything else cannot name a recorded instrument.</summary>
    public static bool IsPolicyId(string? value) => value is { Length: > 0 and <= MaxIdLength } && IdPattern().IsMatch(value);

    public static void PolicyId(FieldErrors errors, string field, string? value, bool required = true)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add(field, "is required: a stable readable id such as 'us-eo-14110'");
            }

            return;
        }

        if (value.Length > MaxIdLength || !IdPattern().IsMatch(value))
        {
            errors.Add(field, $"must be lower-case letters and digits separated by single '-', '.' or '_', at most {MaxIdLength} characters, such as 'us-eo-14110'");
        }
    }

    public static void Text(FieldErrors errors, string field, string? value, int maxLength, bool required = false, bool multiline = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(field, "is required");
            }
            else if (value is not null)
            {
                errors.Add(field, "must not be blank; leave it out instead");
            }

            return;
        }

        if (value.Length > maxLength)
        {
            errors.Add(field, $"must be at most {maxLength} characters");
        }

        if (!IsCleanText(value, multiline))
        {
            errors.Add(field, multiline
                ? "must not contain control characters other than line breaks and tabs, or unpaired surrogates"
                : "must not contain control characters or unpaired surrogates");
        }
    }

    public static void Url(FieldErrors errors, string field, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > MaxUrlLength || !Uri.TryCreate(value, UriKind.Absolute, out var uri) ||
            (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || !IsCleanText(value, multiline: false))
        {
            errors.Add(field, $"must be an absolute http or https URL of at most {MaxUrlLength} characters");
        }
    }

    public static PolicyKind? Kind(FieldErrors errors, string field, string? value)
    {
        if (value is null)
        {
            errors.Add(field, "is required: " + KindNames);
            return null;
        }

        var match = Enum.GetValues<PolicyKind>().Where(kind => JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString()) == value).ToList();
        if (match.Count == 1)
        {
            return match[0];
        }

        errors.Add(field, "must be one of " + KindNames);
        return null;
    }

    public static string KindNames { get; } = string.Join(", ", Enum.GetValues<PolicyKind>().Select(kind => JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString())));

    public static void Jurisdiction(FieldErrors errors, string field, string? value)
    {
        if (value is null)
        {
            errors.Add(field, "is required: an ISO 3166 code such as 'US', or 'EU'");
        }
        else if (!JurisdictionPattern().IsMatch(value))
        {
            errors.Add(field, "must be an upper-case ISO 3166 code such as 'US', 'US-CA' or 'EU'");
        }
    }

    public static DateTimeZone? Zone(FieldErrors errors, string field, string value)
    {
        if (TimeZones.TryFind(value, out var zone))
        {
            return zone;
        }

        errors.Add(field, $"'{Shorten(value)}' is not an IANA time zone such as 'America/New_York'");
        return null;
    }

    public static void Topics(FieldErrors errors, string field, IReadOnlyList<string>? topics)
    {
        if (topics is null || topics.Count == 0)
        {
            errors.Add(field, "needs at least one topic, such as 'export-controls'");
            return;
        }

        if (topics.Count > MaxTopics)
        {
            errors.Add(field, $"must hold at most {MaxTopics} topics");
        }

        if (topics.Any(topic => topic is null || topic.Length > 64 || !TopicPattern().IsMatch(topic)))
        {
            errors.Add(field, "each topic must be lower-case words joined by '-', at most 64 characters, such as 'export-controls'");
        }
        else if (topics.Distinct(StringComparer.Ordinal).Count() != topics.Count)
        {
            errors.Add(field, "must not repeat a topic");
        }
    }

    /// <summary>A query filter that must look like a topic, a jurisdiction or an id to match anything.</summary>
    public static void Filter(FieldErrors errors, string field, string? value, FilterKind kind)
    {
        if (value is null)
        {
            return;
        }

        var valid = kind switch
        {
            FilterKind.Topic => value.Length <= 64 && TopicPattern().IsMatch(value),
            FilterKind.Jurisdiction => JurisdictionPattern().IsMatch(value),
            _ => IsPolicyId(value),
        };
        if (!valid)
        {
            errors.Add(field, kind switch
            {
                FilterKind.Topic => "must be a topic: lower-case words joined by '-', such as 'export-controls'",
                FilterKind.Jurisdiction => "must be an upper-case ISO 3166 code such as 'US', 'US-CA' or 'EU'",
                _ => "must be an instrument id, as returned in nextCursor",
            });
        }
    }

    public static TimeInput? Time(FieldErrors errors, string field, string? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add(field, "is required: a date (2025-01-20) or an RFC 3339 instant (2025-01-20T17:00:00Z)");
            }

            return null;
        }

        if (TimeInput.TryParse(value, out var input, out var error))
        {
            return input;
        }

        errors.Add(field, error);
        return null;
    }

    /// <summary>
    /// A source time: an instant as stated, or a date meaning the start of that day in <paramref name="zone"/>.
    /// Null when absent or invalid (the error is recorded).
    /// </summary>
    public static DateTimeOffset? SourceTime(FieldErrors errors, string field, string? value, NodaTime.DateTimeZone zone, bool required) =>
        Time(errors, field, value, required)?.StartOfDayIn(zone);

    public static DateOnly? Date(FieldErrors errors, string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length == 10 && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) &&
            date.Year is >= TimeInput.MinYear and <= TimeInput.MaxYear)
        {
            return date;
        }

        errors.Add(field, $"'{Shorten(value)}' is not a date such as 2025-01-20");
        return null;
    }

    public static void DateInRange(FieldErrors errors, string field, DateOnly? value)
    {
        if (value is { Year: < TimeInput.MinYear or > TimeInput.MaxYear })
        {
            errors.Add(field, $"must be a date between the years {TimeInput.MinYear} and {TimeInput.MaxYear}");
        }
    }

    public static void ProvisionKey(FieldErrors errors, string field, string key)
    {
        if (key.Length > MaxIdLength || !IdPattern().IsMatch(key))
        {
            errors.Add(field, $"'{Shorten(key)}' is not a provision key: lower-case words separated by '.', '-' or '_', such as 'h1b.new-petition-payment-usd'");
        }
    }

    public static void Provisions(FieldErrors errors, string field, Provisions provisions)
    {
        if (provisions.Count > MaxProvisions)
        {
            errors.Add(field, $"must hold at most {MaxProvisions} provisions");
            return;
        }

        foreach (var (key, value) in provisions)
        {
            ProvisionKey(errors, field, key);
            if (value.ToString().Length > MaxProvisionJsonLength)
            {
                errors.Add($"{field}.{key}", $"must be at most {MaxProvisionJsonLength} characters of JSON");
            }
            else if (Depth(value.Json) > MaxProvisionDepth)
            {
                errors.Add($"{field}.{key}", $"must nest at most {MaxProvisionDepth} levels deep");
            }
            else if (!IsCleanJson(value.Json))
            {
                errors.Add($"{field}.{key}", "must not contain control characters, unpaired surrogates or null values");
            }
        }
    }

    public static void Related(FieldErrors errors, string field, string policyId, IReadOnlyList<string> related)
    {
        if (related.Count > MaxRelated)
        {
            errors.Add(field, $"must name at most {MaxRelated} instruments");
        }

        for (var i = 0; i < related.Count; i++)
        {
            PolicyId(errors, $"{field}[{i}]", related[i]);
        }

        if (related.Contains(policyId, StringComparer.Ordinal))
        {
            errors.Add(field, "an instrument cannot name itself");
        }

        if (related.Distinct(StringComparer.Ordinal).Count() != related.Count)
        {
            errors.Add(field, "must not name an instrument twice");
        }
    }

    private static bool IsCleanText(string value, bool multiline)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF')
            {
                return false;
            }

            if (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsCleanJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => false,
        JsonValueKind.String => IsCleanText(element.GetString()!, multiline: true),
        JsonValueKind.Array => element.EnumerateArray().All(IsCleanJson),
        JsonValueKind.Object => element.EnumerateObject().All(p => IsCleanText(p.Name, multiline: false) && IsCleanJson(p.Value)),
        _ => true,
    };

    private static int Depth(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => 1 + element.EnumerateArray().Select(Depth).DefaultIfEmpty(0).Max(),
        JsonValueKind.Object => 1 + element.EnumerateObject().Select(p => Depth(p.Value)).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    internal static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
