using System.CommandLine;
using System.CommandLine.Parsing;
using Timeline.Domain.Time;

namespace Timeline.Cli.Reading;

/// <summary>Dates and instants on the command line, checked by the domain's one time parser before anything is sent.</summary>
internal static class TimeOptions
{
    public const string Format = "a date (2025-09-21: the end of that day in New York) or an RFC 3339 instant (2025-09-21T04:01:00Z)";

    public static Argument<string> Argument(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = $"{description}: {Format}." };
        argument.Validators.Add(Check);
        return argument;
    }

    public static Option<string?> AsOf() => Option("--as-of", "Record time: how the record stood then (default now)");

    public static Option<string?> At() => Option("--at", "Effective time (default now)");

    public static Option<string?> Option(string name, string description)
    {
        var option = new Option<string?>(name) { Description = $"{description}: {Format}." };
        option.Validators.Add(Check);
        return option;
    }

    private static void Check(SymbolResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
        if (text is not null && !TimeInput.TryParse(text, out _, out var error))
        {
            var name = result is OptionResult option ? option.Option.Name : ((ArgumentResult)result).Argument.Name;
            result.AddError($"{name}: {error}");
        }
    }
}
