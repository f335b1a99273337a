using System.Globalization;
using System.Text.Json;

namespace Timeline.Cli.Output;

/// <summary>Provision values as a reader wants them: amounts in dollars with separators, lists joined, long texts cut in lists.</summary>
internal static class ProvisionDisplay
{
    public static string Value(string key, JsonElement value, int? maxLength = null)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number when key.EndsWith("-usd", StringComparison.Ordinal) && value.TryGetDecimal(out var amount)
                => "USD " + amount.ToString("#,0.##", CultureInfo.InvariantCulture),
            JsonValueKind.Array when value.EnumerateArray().All(item => item.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                => string.Join(", ", value.EnumerateArray().Select(item => item.ToString())),
            JsonValueKind.True => "yes",
            JsonValueKind.False => "no",
            _ => value.GetRawText(),
        };
        return maxLength is { } max && text.Length > max ? text[..(max - 3)] + "..." : text;
    }

    /// <summary>
    /// "key = value" lines, at most <paramref name="limit"/> of them and a line saying how many more: amounts, flags and short
    /// values first, as they are what a reader checks against (the prose is in <c>timeline show</c>).
    /// </summary>
    public static IEnumerable<string> Lines(JsonElement provisions, int limit, int maxLength)
    {
        if (provisions.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        var all = provisions.EnumerateObject().OrderBy(Rank).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
        foreach (var provision in all.Take(limit))
        {
            yield return $"{provision.Name} = {Value(provision.Name, provision.Value, maxLength)}";
        }

        if (all.Count > limit)
        {
            yield return $"... {all.Count - limit} more (timeline show)";
        }
    }

    private static int Rank(JsonProperty provision) => provision.Value.ValueKind switch
    {
        JsonValueKind.Number => 0,
        JsonValueKind.True or JsonValueKind.False => 1,
        JsonValueKind.String when provision.Value.GetString()!.Length <= 40 => 2,
        JsonValueKind.Array when provision.Value.GetArrayLength() <= 4 => 2,
        _ => 3,
    };
}
