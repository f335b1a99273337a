using System.Net;
using System.Text.Json;
using Spectre.Console;

namespace Timeline.Cli.Service;

/// <summary>Shows a refusal: the service's own title, detail and field errors, then what to do about it.</summary>
internal static class ProblemReport
{
    public static void Write(IAnsiConsole console, ServiceRefusedException refusal, string command, string? policyId)
    {
        var problem = refusal.Problem;
        var title = Text(problem, "title") ?? refusal.Message;
        console.MarkupLine($"[red]The service refused ({(int)refusal.Status}): {Markup.Escape(title)}[/]");
        if (Text(problem, "detail") is { } detail)
        {
            console.WriteLine(detail);
        }

        if (problem is { } p && p.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in errors.EnumerateObject())
            {
                var messages = field.Value.ValueKind == JsonValueKind.Array
                    ? string.Join("; ", field.Value.EnumerateArray().Select(m => m.ToString()))
                    : field.Value.ToString();
                console.WriteLine($"  {field.Name}: {messages}");
            }
        }

        console.MarkupLine($"[yellow]{Markup.Escape(Hint(refusal.Status, command, policyId ?? "<id>"))}[/]");
    }

    private static string Hint(HttpStatusCode status, string command, string id) => status switch
    {
        HttpStatusCode.BadRequest => $"Nothing was written. Fix the fields named above; `timeline {command} --help` lists the options.",
        HttpStatusCode.Unauthorized =>
            $"Nothing was written. The service did not accept the key: set {ServiceOptions.KeyVariable} (or --key) to one of its keys (Timeline:ApiKeys); "
            + $"the embedded default's key is in {ServiceOptions.GeneratedKeyFile} where the service was started.",
        HttpStatusCode.NotFound => $"Nothing was written. Check the id: `timeline at <date> --status any` lists the instruments the record holds.",
        HttpStatusCode.Conflict => $"Nothing was written. The record already says otherwise: `timeline history {id}` shows its events.",
        HttpStatusCode.PreconditionFailed =>
            $"Nothing was written. The instrument changed since that version: `timeline show {id}` gives its version now; check the change, then send that version with --if-match.",
        HttpStatusCode.RequestEntityTooLarge => "Nothing was written. The body is over the service's limit (1 MiB): split it into several writes.",
        HttpStatusCode.UnprocessableEntity => $"Nothing was written. The write cannot apply to the record as it stands: `timeline history {id}` shows its events and their effective times.",
        _ => "Nothing was written.",
    };

    private static string? Text(JsonElement? problem, string field) =>
        problem is { } p && p.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
