using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timeline.Cli.Reading;
using Timeline.Cli.Service;

namespace Timeline.Cli.Writing;

/// <summary>How an option's value goes into the JSON body.</summary>
internal enum FieldShape
{
    /// <summary>A string as given.</summary>
    Scalar,

    /// <summary>An effective time, checked by the domain's time parser first.</summary>
    Time,

    /// <summary>Repeatable: a JSON array of strings.</summary>
    List,

    /// <summary>Repeatable <c>key=value</c>: a JSON object; the value is JSON where it parses as JSON (100000, true, ["CN"]), else text.</summary>
    Map,
}

/// <summary>One field of a write body, as an option of its command.</summary>
internal sealed record WriteField(string Option, string Json, FieldShape Shape, string Description)
{
    public Option CreateOption() => Shape switch
    {
        FieldShape.Time => TimeOptions.Option("--" + Option, Description),
        FieldShape.List => new Option<string[]>("--" + Option) { Description = Description + " (repeat the option for several)." },
        FieldShape.Map => new Option<string[]>("--" + Option) { Description = Description + " key=value (repeatable; the value is JSON where it parses as JSON, else text)." },
        _ => new Option<string?>("--" + Option) { Description = Description + "." },
    };

    /// <summary>Puts the option's value into the body, over what a --file gave for the same field.</summary>
    public void Apply(ParseResult parse, Option option, JsonObject body)
    {
        switch (Shape)
        {
            case FieldShape.List when parse.GetValue((Option<string[]>)option) is { Length: > 0 } items:
                body[Json] = new JsonArray([.. items.Select(item => JsonValue.Create(item))]);
                break;
            case FieldShape.Map when parse.GetValue((Option<string[]>)option) is { Length: > 0 } pairs:
                var map = body[Json] as JsonObject ?? [];
                foreach (var pair in pairs)
                {
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        throw new UsageException($"--{Option} '{pair}' is not key=value, e.g. --{Option} h1b.new-petition-payment-usd=100000");
                    }

                    map[pair[..equals]] = Value(pair[(equals + 1)..]);
                }

                body[Json] = map;
                break;
            case FieldShape.Scalar or FieldShape.Time when parse.GetValue((Option<string?>)option) is { } text:
                body[Json] = text;
                break;
        }
    }

    private static JsonNode? Value(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
