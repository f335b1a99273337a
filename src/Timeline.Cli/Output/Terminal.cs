using Spectre.Console;

namespace Timeline.Cli.Output;

/// <summary>
/// The console a command writes to: on a terminal, colours, Unicode tables and live progress; when the output is
/// redirected or NO_COLOR is set (https://no-color.org), plain ASCII text with no escape codes, wide enough not to wrap.
/// </summary>
internal static class Terminal
{
    /// <summary>The width of plain output: lines are not folded for a terminal nobody is looking at.</summary>
    public const int PlainWidth = 200;

    public static bool IsRich(CliEnvironment environment) =>
        environment.IsTerminal && string.IsNullOrEmpty(environment.Variable("NO_COLOR"));

    public static IAnsiConsole Create(TextWriter writer, CliEnvironment environment)
    {
        var rich = IsRich(environment);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = rich ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = rich ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = rich ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!rich)
        {
            console.Profile.Width = PlainWidth;
            console.Profile.Capabilities.Unicode = false;
        }

        return console;
    }

    /// <summary>A table in the house style; borders fall back to ASCII where Unicode is off.</summary>
    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn($"[bold]{Markup.Escape(column)}[/]"));
        }

        return table;
    }

    /// <summary>The colour of a status, as the page colours its bars.</summary>
    public static string StatusMarkup(string? status) => status switch
    {
        "in-force" => "[green]in-force[/]",
        "pending" => "[blue]pending[/]",
        "suspended" => "[yellow]suspended[/]",
        "rescinded" => "[red]rescinded[/]",
        "superseded" => "[magenta]superseded[/]",
        "expired" => "[grey]expired[/]",
        null => "[grey]-[/]",
        _ => Markup.Escape(status),
    };
}
