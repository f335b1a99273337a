using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Timeline.Cli.Output;
using Timeline.Cli.Service;
using static Timeline.Cli.Reading.AtCommand;

namespace Timeline.Cli.Reading;

/// <summary><c>timeline show &lt;id&gt;</c>: one instrument in full at a date, as of a record date.</summary>
internal static class ShowCommand
{
    public static Command Create(CliContext cli)
    {
        var id = new Argument<string>("id") { Description = "The instrument's id, e.g. us-proclamation-10973." };
        var at = TimeOptions.At();
        var asOf = TimeOptions.AsOf();
        var json = CliContext.JsonOption();
        var command = new Command("show", "One instrument in full: status, dates on both clocks, citation, relations and every provision.") { id, at, asOf, json };
        cli.SetAction(command, async (parse, cancellationToken) =>
        {
            using var service = cli.Connect(parse);
            var answer = await service.GetAsync(ApiPath.Of(ApiPath.Policy(parse.GetValue(id)!), ("at", parse.GetValue(at)), ("asOf", parse.GetValue(asOf))), cancellationToken);
            if (parse.GetValue(json))
            {
                await cli.Environment.Output.WriteLineAsync(answer.Text);
                return ExitCodes.Ok;
            }

            Render(cli.Out, answer.Json, parse.GetValue(at), parse.GetValue(asOf));
            return ExitCodes.Ok;
        }, policyIdArgument: "id");
        return command;
    }

    private static void Render(IAnsiConsole console, JsonElement policy, string? at, string? asOf)
    {
        var zone = Text(policy, "timeZone");
        console.MarkupLine($"[bold]{Markup.Escape(Text(policy, "id") ?? "")}[/]  {Markup.Escape(Text(policy, "title") ?? "")}");
        console.MarkupLine(
            $"at {Markup.Escape(TimeDisplay.Asked(at, policy.GetProperty("at").GetDateTimeOffset()))}, "
            + $"as recorded at {Markup.Escape(TimeDisplay.Asked(asOf, policy.GetProperty("asOf").GetDateTimeOffset()))}");

        var facts = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Fact(string name, string? value, bool markup = false)
        {
            if (!string.IsNullOrEmpty(value))
            {
                facts.AddRow(new Markup($"[grey]{name}[/]"), markup ? new Markup(value) : new Text(value));
            }
        }

        Fact("status", Terminal.StatusMarkup(Text(policy, "status")), markup: true);
        Fact("kind", Text(policy, "kind"));
        Fact("jurisdiction", $"{Text(policy, "jurisdiction")} (dates in {zone})");
        Fact("topics", string.Join(", ", policy.GetProperty("topics").EnumerateArray().Select(t => t.GetString())));
        Fact("effective", TimeDisplay.Effective(Instant(policy, "effectiveAt"), zone));
        Fact("this version", $"from {TimeDisplay.Effective(Instant(policy, "effectiveFrom"), zone)} to {(Instant(policy, "effectiveTo") is { } to ? TimeDisplay.Effective(to, zone) : "open")}");
        Fact("expires", Instant(policy, "expiresAt") is { } expires ? TimeDisplay.Effective(expires, zone) : null);
        Fact("suspended because", Text(policy, "suspensionReason"));
        Fact("rescinded by", Text(policy, "rescindedBy"));
        Fact("superseded by", Text(policy, "supersededBy"));
        Fact("signed on", Text(policy, "signedOn"));
        Fact("published on", Text(policy, "publishedOn"));
        Fact("publicly known on", Text(policy, "publicKnowledgeOn"));
        Fact("authority", Text(policy, "authority"));
        Fact("citation", Text(policy, "citation") ?? "no citation confirmed");
        Fact("source", Text(policy, "sourceUrl"));
        Fact("confidence", Confidence(policy));
        Fact("version", $"{policy.GetProperty("version").GetInt64()} (for --if-match)");
        console.Write(facts);

        if (policy.TryGetProperty("provisions", out var provisions) && provisions.ValueKind == JsonValueKind.Object && provisions.EnumerateObject().Any())
        {
            var table = Terminal.Table("Provision", "Value");
            foreach (var provision in provisions.EnumerateObject())
            {
                table.AddRow(new Text(provision.Name), new Text(ProvisionDisplay.Value(provision.Name, provision.Value)));
            }

            console.Write(table);
        }
        else
        {
            console.WriteLine("No provisions.");
        }
    }

    private static string? Confidence(JsonElement policy)
    {
        if (!policy.TryGetProperty("confidence", out var confidence) || confidence.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var fields = confidence.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Object
            ? string.Join(", ", f.EnumerateObject().Select(field => $"{field.Name} {field.Value}"))
            : "";
        return $"{Text(confidence, "level")}{(fields.Length == 0 ? "" : $" (but {fields})")}";
    }

    internal static DateTimeOffset? Instant(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetDateTimeOffset() : null;
}
