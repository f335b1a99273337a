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
            // Plain output loses the padding at the ends of lines; a terminal shows it as nothing anyway.
            Out = new AnsiConsoleOutput(rich ? writer : new TrimmingWriter(writer)),
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

    /// <summary>A table in the house style: a rule under the header, in ASCII where Unicode is off (plain output).</summary>
    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(new RuleUnderHeader());
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

    /// <summary>Spectre's Simple border, whose rule stays Unicode even with Unicode off; this one falls back to dashes.</summary>
    private sealed class RuleUnderHeader : TableBorder
    {
        public override TableBorder? SafeBorder => new AsciiRule();

        public override string GetPart(Spectre.Console.Rendering.TableBorderPart part) => Rule(part, "\u2500");

        internal static string Rule(Spectre.Console.Rendering.TableBorderPart part, string line) => part switch
        {
            Spectre.Console.Rendering.TableBorderPart.HeaderBottomLeft or Spectre.Console.Rendering.TableBorderPart.HeaderBottom
                or Spectre.Console.Rendering.TableBorderPart.HeaderBottomSeparator or Spectre.Console.Rendering.TableBorderPart.HeaderBottomRight => line,
            _ => " ",
        };

        private sealed class AsciiRule : TableBorder
        {
            public override string GetPart(Spectre.Console.Rendering.TableBorderPart part) => Rule(part, "-");
        }
    }
}
