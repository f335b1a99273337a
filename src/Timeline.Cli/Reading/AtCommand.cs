using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Timeline.Cli.Output;
using Timeline.Cli.Service;

namespace Timeline.Cli.Reading;

/// <summary><c>timeline at &lt;date&gt;</c>: what was in force on a date, as the record stood on another, with the key provisions.</summary>
internal static class AtCommand
{
    private const int PageSize = 1000;

    public static Command Create(CliContext cli)
    {
        var date = TimeOptions.Argument("date", "The effective date");
        var asOf = TimeOptions.AsOf();
        var topic = new Option<string?>("--topic") { Description = "Only instruments with this topic, e.g. immigration, h-1b, export-controls, ai." };
        var kind = new Option<string?>("--kind") { Description = "Only this kind: executive-order, proclamation, rule, statute, guidance, license-policy or other." };
        var jurisdiction = new Option<string?>("--jurisdiction") { Description = "Only this jurisdiction, e.g. US." };
        var status = new Option<string?>("--status")
        {
            Description = "in-force (default), pending, suspended, rescinded, superseded, expired, or any for everything the record knows.",
        };
        var json = CliContext.JsonOption();
        var command = new Command("at", "What was in force on a date, as the record stood at --as-of, with the key provisions.")
        {
            date, asOf, topic, kind, jurisdiction, status, json,
        };
        cli.SetAction(command, async (parse, cancellationToken) =>
        {
            using var service = cli.Connect(parse);
            var query = new (string, string?)[]
            {
                ("at", parse.GetValue(date)), ("asOf", parse.GetValue(asOf)), ("status", parse.GetValue(status)), ("topic", parse.GetValue(topic)),
                ("kind", parse.GetValue(kind)), ("jurisdiction", parse.GetValue(jurisdiction)), ("limit", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
            var first = await service.GetAsync(ApiPath.Of("api/policies", query), cancellationToken);
            var document = JsonNode.Parse(first.Text)!.AsObject();
            var items = document["items"]!.AsArray();
            // Every page, so that a table (and the JSON) holds everything that matched.
            while (document["nextCursor"]?.GetValue<string>() is { } cursor)
            {
                var next = JsonNode.Parse((await service.GetAsync(ApiPath.Of("api/policies", [.. query, ("cursor", cursor)]), cancellationToken)).Text)!.AsObject();
                foreach (var item in next["items"]!.AsArray().ToList())
                {
                    next["items"]!.AsArray().Remove(item);
                    items.Add(item);
                }

                document["nextCursor"] = next["nextCursor"]?.DeepClone();
            }

            if (parse.GetValue(json))
            {
                await cli.Environment.Output.WriteLineAsync(document.ToJsonString());
                return ExitCodes.Ok;
            }

            Render(cli.Out, JsonSerializer.Deserialize<JsonElement>(document.ToJsonString()), parse.GetValue(date)!, parse.GetValue(asOf), parse.GetValue(status),
                string.Join(", ", new[] { ("topic", parse.GetValue(topic)), ("kind", parse.GetValue(kind)), ("jurisdiction", parse.GetValue(jurisdiction)) }
                    .Where(f => f.Item2 is not null).Select(f => $"{f.Item1} {f.Item2}")));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, JsonElement answer, string date, string? asOf, string? status, string filters)
    {
        var what = status switch
        {
            null or "in-force" => "In force",
            "any" => "Known",
            _ => $"With status {status}",
        };
        console.MarkupLine(
            $"[bold]{what} on {Markup.Escape(TimeDisplay.Asked(date, answer.GetProperty("at").GetDateTimeOffset()))}[/], "
            + $"as recorded at {Markup.Escape(TimeDisplay.Asked(asOf, answer.GetProperty("asOf").GetDateTimeOffset()))}"
            + (filters.Length == 0 ? "" : $"; {Markup.Escape(filters)}"));
        var items = answer.GetProperty("items").EnumerateArray().ToList();
        if (items.Count == 0)
        {
            console.WriteLine("Nothing matches.");
            return;
        }

        var table = Terminal.Table("Instrument", "Kind", "Status", "Effective", "Key provisions");
        foreach (var item in items)
        {
            var zone = Text(item, "timeZone");
            table.AddRow(
                new Markup($"[bold]{Markup.Escape(Text(item, "id") ?? "")}[/]\n{Markup.Escape(Text(item, "title") ?? "")}"),
                new Text(Text(item, "kind") ?? ""),
                new Markup(Terminal.StatusMarkup(Text(item, "status"))),
                new Text(TimeDisplay.Effective(item.GetProperty("effectiveAt").GetDateTimeOffset(), zone)),
                new Text(string.Join('\n', ProvisionDisplay.Lines(item.GetProperty("provisions"), limit: 6, maxLength: 70))));
        }

        console.Write(table);
        console.WriteLine($"{items.Count} instrument{(items.Count == 1 ? "" : "s")}. One in full: timeline show <id> --at {date}");
    }

    internal static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
