using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Timeline.Cli.Output;
using Timeline.Cli.Service;
using static Timeline.Cli.Reading.AtCommand;

namespace Timeline.Cli.Reading;

/// <summary><c>timeline diff &lt;from&gt; &lt;to&gt;</c>: what came into force, left force or read differently between two dates.</summary>
internal static class DiffCommand
{
    public static Command Create(CliContext cli)
    {
        var from = TimeOptions.Argument("from", "The earlier effective date");
        var to = TimeOptions.Argument("to", "The later effective date");
        var asOf = TimeOptions.AsOf();
        var topic = new Option<string?>("--topic") { Description = "Only instruments with this topic." };
        var jurisdiction = new Option<string?>("--jurisdiction") { Description = "Only this jurisdiction, e.g. US." };
        var json = CliContext.JsonOption();
        var command = new Command("diff", "What changed between two effective dates, both read as the record stood at --as-of: instruments that came into force, left it, or whose provisions changed.")
        {
            from, to, asOf, topic, jurisdiction, json,
        };
        cli.SetAction(command, async (parse, cancellationToken) =>
        {
            using var service = cli.Connect(parse);
            var answer = await service.GetAsync(ApiPath.Of("api/diff",
                ("from", parse.GetValue(from)), ("to", parse.GetValue(to)), ("asOf", parse.GetValue(asOf)),
                ("topic", parse.GetValue(topic)), ("jurisdiction", parse.GetValue(jurisdiction))), cancellationToken);
            if (parse.GetValue(json))
            {
                await cli.Environment.Output.WriteLineAsync(answer.Text);
                return ExitCodes.Ok;
            }

            Render(cli.Out, answer.Json, parse.GetValue(from)!, parse.GetValue(to)!);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, JsonElement diff, string from, string to)
    {
        var asOf = diff.GetProperty("to").GetProperty("asOf").GetDateTimeOffset();
        console.MarkupLine(
            $"[bold]From {Markup.Escape(TimeDisplay.Asked(from, diff.GetProperty("from").GetProperty("at").GetDateTimeOffset()))} "
            + $"to {Markup.Escape(TimeDisplay.Asked(to, diff.GetProperty("to").GetProperty("at").GetDateTimeOffset()))}[/], as recorded at {TimeDisplay.Recorded(asOf)}");
        var any = false;
        foreach (var (field, heading, colour) in new[]
        {
            ("cameIntoForce", "Came into force", "green"),
            ("leftForce", "Left force", "red"),
            ("changedProvisions", "Provisions changed", "yellow"),
            ("otherStatusChanges", "Other status changes", "blue"),
        })
        {
            var instruments = diff.GetProperty(field).EnumerateArray().ToList();
            if (instruments.Count == 0)
            {
                continue;
            }

            any = true;
            console.MarkupLine($"[bold {colour}]{heading}[/] ({instruments.Count})");
            var table = Terminal.Table("Instrument", "Status", "Provisions");
            foreach (var instrument in instruments)
            {
                table.AddRow(
                    new Markup($"[bold]{Markup.Escape(Text(instrument, "id") ?? "")}[/]\n{Markup.Escape(Text(instrument, "title") ?? "")}"),
                    new Markup($"{Terminal.StatusMarkup(Text(instrument, "statusBefore"))} -> {Terminal.StatusMarkup(Text(instrument, "statusAfter"))}"),
                    new Text(string.Join('\n', instrument.GetProperty("provisions").EnumerateArray().Select(Change))));
            }

            console.Write(table);
        }

        if (!any)
        {
            console.WriteLine("Nothing changed.");
        }

        if (diff.TryGetProperty("truncated", out var truncated) && truncated.GetBoolean())
        {
            console.MarkupLine("[yellow]More changed than shown: narrow it with --topic or --jurisdiction.[/]");
        }
    }

    private static string Change(JsonElement provision)
    {
        var key = Text(provision, "key") ?? "";
        string Side(string name) =>
            provision.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? ProvisionDisplay.Value(key, value, 60) : "(none)";
        return $"{key}: {Side("before")} -> {Side("after")}";
    }
}
