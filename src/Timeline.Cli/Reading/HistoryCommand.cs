using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Timeline.Cli.Output;
using Timeline.Cli.Service;
using static Timeline.Cli.Reading.AtCommand;
using static Timeline.Cli.Reading.ShowCommand;

namespace Timeline.Cli.Reading;

/// <summary><c>timeline history &lt;id&gt;</c>: every event of an instrument in record order, on both clocks.</summary>
internal static class HistoryCommand
{
    public static Command Create(CliContext cli)
    {
        var id = new Argument<string>("id") { Description = "The instrument's id, e.g. us-proclamation-10973." };
        var asOf = TimeOptions.AsOf();
        var json = CliContext.JsonOption();
        var command = new Command("history", "Every event of an instrument in record order: when it applies (effective) and when it was recorded, and who recorded it.")
        {
            id, asOf, json,
        };
        cli.SetAction(command, async (parse, cancellationToken) =>
        {
            using var service = cli.Connect(parse);
            var answer = await service.GetAsync(ApiPath.Of(ApiPath.Policy(parse.GetValue(id)!, "history"), ("asOf", parse.GetValue(asOf))), cancellationToken);
            if (parse.GetValue(json))
            {
                await cli.Environment.Output.WriteLineAsync(answer.Text);
                return ExitCodes.Ok;
            }

            Render(cli.Out, answer.Json, parse.GetValue(asOf));
            return ExitCodes.Ok;
        }, policyIdArgument: "id");
        return command;
    }

    private static void Render(IAnsiConsole console, JsonElement history, string? asOf)
    {
        var events = history.GetProperty("events").EnumerateArray().ToList();
        // Effective times read in the zone the instrument states its dates in.
        var zone = events.Select(e => e.GetProperty("data")).Select(d => Text(d, "timeZone")).FirstOrDefault(z => z is not null);
        console.MarkupLine(
            $"[bold]{Markup.Escape(Text(history, "id") ?? "")}[/]: {events.Count} event{(events.Count == 1 ? "" : "s")} "
            + $"as recorded at {Markup.Escape(TimeDisplay.Asked(asOf, history.GetProperty("asOf").GetDateTimeOffset()))}");
        var table = Terminal.Table("#", "Event", "Effective", "Recorded", "By", "What", "Event id");
        foreach (var entry in events)
        {
            var data = entry.GetProperty("data");
            table.AddRow(
                new Text(entry.GetProperty("version").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Markup($"[bold]{Markup.Escape(Text(entry, "type") ?? "")}[/]"),
                new Text(TimeDisplay.Effective(Instant(entry, "effectiveAt"), zone)),
                new Text(TimeDisplay.Recorded(Instant(entry, "recordedAt"))),
                new Text(Text(entry, "recordedBy") ?? "-"),
                new Text(Describe(Text(entry, "type"), data)),
                new Text(Text(entry, "eventId") ?? ""));
        }

        console.Write(table);
    }

    /// <summary>One line on what an event says, by its type.</summary>
    private static string Describe(string? type, JsonElement data)
    {
        var parts = new List<string?>();
        switch (type)
        {
            case "issued":
                parts.Add(Text(data, "title"));
                break;
            case "amended":
                parts.Add(Text(data, "summary"));
                parts.Add(Keys(data, "set") is { Length: > 0 } set ? "set " + set : null);
                parts.Add(data.TryGetProperty("remove", out var removed) && removed.ValueKind == JsonValueKind.Array && removed.GetArrayLength() > 0
                    ? "removed " + string.Join(", ", removed.EnumerateArray().Select(k => k.GetString())) : null);
                parts.Add(Text(data, "byPolicyId") is { } by ? "by " + by : null);
                break;
            case "suspended" or "reinstated":
                parts.Add(Text(data, "reason"));
                parts.Add(Text(data, "by") is { } who ? "by " + who : null);
                break;
            case "rescinded" or "superseded":
                parts.Add(Text(data, "byPolicyId") is { } by2 ? "by " + by2 : null);
                break;
            case "extended":
                parts.Add(Instant(data, "expiresAt") is { } expires ? "expires " + TimeDisplay.Recorded(expires) : null);
                break;
            case "corrected":
                parts.Add($"corrects {Text(data, "eventId")}: {Keys(data, "changes")}");
                parts.Add(Text(data, "reason"));
                break;
        }

        parts.Add(Text(data, "citation"));
        return string.Join("; ", parts.Where(p => !string.IsNullOrEmpty(p)));
    }

    private static string Keys(JsonElement data, string property) =>
        data.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Object ? string.Join(", ", value.EnumerateObject().Select(p => p.Name)) : "";
}
