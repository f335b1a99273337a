using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Timeline.Cli.Output;
using Timeline.Cli.Service;
using static Timeline.Cli.Writing.FieldShape;

namespace Timeline.Cli.Writing;

/// <summary>
/// The writes of the HTTP API (HTTP-API.md, "Writes"), one command each: the body from options, or from <c>--file</c>
/// (<c>-</c> for stdin) with options laid over it; <c>--if-match</c> and <c>--idempotency-key</c> pass through as headers.
/// </summary>
internal static class WriteCommands
{
    private static readonly WriteField EffectiveAt = new("effective-at", "effectiveAt", Time, "When it applies: a date (the start of that day in the instrument's zone) or an RFC 3339 instant");
    private static readonly WriteField Citation = new("citation", "citation", Scalar, "The source citation, e.g. 'Proclamation 10973; 90 FR 46027'");
    private static readonly WriteField SourceUrl = new("source-url", "sourceUrl", Scalar, "Where the source text is");
    private static readonly WriteField Note = new("note", "note", Scalar, "A note for readers");
    private static readonly WriteField PublicKnowledgeOn = new("public-knowledge-on", "publicKnowledgeOn", Scalar, "The day it became publicly known, e.g. 2025-09-20");
    private static readonly WriteField ByInstrument = new("by", "byPolicyId", Scalar, "The instrument that does it, by id");

    public static IEnumerable<Command> Create(CliContext cli) =>
    [
        Write(cli, "issue", "Issue a new instrument.", path: null,
        [
            new("kind", "kind", Scalar, "executive-order, proclamation, rule, statute, guidance, license-policy or other"),
            new("title", "title", Scalar, "Its title"),
            new("jurisdiction", "jurisdiction", Scalar, "ISO 3166 code such as US, or EU"),
            new("topic", "topics", List, "A topic such as immigration, export-controls, ai"),
            EffectiveAt,
            new("time-zone", "timeZone", Scalar, "The IANA zone its dates are stated in (default from the jurisdiction)"),
            new("authority", "authority", Scalar, "Who issued it, under what law"),
            Citation, SourceUrl,
            new("signed-on", "signedOn", Scalar, "Date signed, e.g. 2025-09-19"),
            new("published-on", "publishedOn", Scalar, "Date published, e.g. 2025-09-24"),
            new("expires-at", "expiresAt", Time, "When it expires unless extended"),
            new("provision", "provisions", Map, "A provision"),
            new("rescinds", "rescinds", List, "An instrument it rescinds, by id"),
            new("supersedes", "supersedes", List, "An instrument it supersedes, by id"),
            Note, PublicKnowledgeOn,
        ]),
        Write(cli, "amend", "Amend an instrument's provisions from a date on (a clarification is an amendment too).", "amendments",
        [
            EffectiveAt,
            new("set", "set", Map, "A provision set or replaced"),
            new("remove", "remove", List, "A provision key removed"),
            ByInstrument with { Description = "The amending instrument, by id" },
            Citation, SourceUrl,
            new("summary", "summary", Scalar, "What the amendment does, in a line"),
            new("published-on", "publishedOn", Scalar, "Date the amending text was published"),
            PublicKnowledgeOn,
        ]),
        Write(cli, "suspend", "Suspend an instrument in force (a court injunction, a stay, a pause).", "suspensions", Suspension()),
        Write(cli, "reinstate", "Reinstate a suspended instrument.", "reinstatements", Suspension()),
        Write(cli, "rescind", "Rescind an instrument, by another where one is named; may be retroactive.", "rescissions",
            [EffectiveAt, ByInstrument with { Description = "The rescinding instrument, by id" }, Citation, SourceUrl, Note, PublicKnowledgeOn]),
        Write(cli, "supersede", "Record that another instrument took this one's place.", "supersessions",
            [EffectiveAt, ByInstrument with { Description = "The superseding instrument, by id" }, Citation, SourceUrl, Note, PublicKnowledgeOn]),
        Write(cli, "extend", "Move an instrument's expiry.", "extensions",
            [new("expires-at", "expiresAt", Time, "The new expiry"), EffectiveAt with { Description = "When the extension applies (default now)" }, Citation, SourceUrl, Note, PublicKnowledgeOn]),
        Write(cli, "expire", "Record an explicit sunset: the instrument expires from its effective time.", "expirations",
            [EffectiveAt, Citation, SourceUrl, Note, PublicKnowledgeOn]),
        Write(cli, "correct", "Correct fields of an earlier event (its id from `timeline history`); the log keeps the original, and answers as of before still show it.", "corrections",
        [
            new("event", "eventId", Scalar, "The id of the event to correct"),
            new("change", "changes", Map, "A corrected field, named as in the event's data (e.g. effectiveAt=2024-02-15, or provisions={\"fee\":2})"),
            new("reason", "reason", Scalar, "Why the event was wrong"),
        ]),
    ];

    private static WriteField[] Suspension() =>
    [
        EffectiveAt,
        new("reason", "reason", Scalar, "Why: a court injunction, a stay, a pause"),
        new("by", "by", Scalar, "By whom, e.g. the court"),
        Citation, SourceUrl, Note, PublicKnowledgeOn,
    ];

    private static Command Write(CliContext cli, string name, string description, string? path, WriteField[] fields)
    {
        var isIssue = path is null;
        var id = new Argument<string?>("id")
        {
            Description = isIssue ? "The new instrument's id, e.g. us-eo-14110 (or the body's id)." : "The instrument's id.",
            Arity = isIssue ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne,
        };
        var file = new Option<string?>("--file", "-f") { Description = "Read the JSON body from this file (- for stdin); options given as well replace its fields." };
        var ifMatch = new Option<string?>("--if-match") { Description = "Write only if the instrument is at this version (from `timeline show`); else refused with 412." };
        var idempotencyKey = new Option<string?>("--idempotency-key") { Description = "Repeating the write with the same key writes nothing new and answers as the first time." };
        var json = CliContext.JsonOption();
        var command = new Command(name, description + " Needs a key (TIMELINE_API_KEY).") { id };
        var options = fields.Select(field => (field, option: field.CreateOption())).ToList();
        foreach (var (_, option) in options)
        {
            command.Options.Add(option);
        }

        command.Options.Add(file);
        command.Options.Add(ifMatch);
        command.Options.Add(idempotencyKey);
        command.Options.Add(json);
        cli.SetAction(command, async (parse, cancellationToken) =>
        {
            var body = await ReadBodyAsync(parse.GetValue(file), cli.Environment, cancellationToken);
            foreach (var (field, option) in options)
            {
                field.Apply(parse, option, body);
            }

            var policyId = parse.GetValue(id);
            if (isIssue && policyId is not null)
            {
                body["id"] = policyId;
            }

            policyId ??= body["id"] is JsonValue value && value.TryGetValue<string>(out var bodyId) ? bodyId : null;
            using var service = cli.Connect(parse, write: true);
            var answer = await service.PostAsync(
                isIssue ? "api/policies" : ApiPath.Policy(policyId!, path), body, IfMatch(parse.GetValue(ifMatch)), parse.GetValue(idempotencyKey), cancellationToken);
            if (parse.GetValue(json))
            {
                await cli.Environment.Output.WriteLineAsync(answer.Text);
                return ExitCodes.Ok;
            }

            Render(cli.Out, answer);
            return ExitCodes.Ok;
        }, policyIdArgument: "id");
        return command;
    }

    private static async Task<JsonObject> ReadBodyAsync(string? file, CliEnvironment environment, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return [];
        }

        string text;
        try
        {
            text = file == "-"
                ? await environment.Input.ReadToEndAsync(cancellationToken)
                : await File.ReadAllTextAsync(Path.Combine(environment.WorkingDirectory, file), cancellationToken);
        }
        catch (IOException exception)
        {
            throw new UsageException($"--file {file}: {exception.Message}");
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new UsageException($"--file {file}: the body must be a JSON object, {{ ... }}.");
        }
        catch (JsonException exception)
        {
            throw new UsageException($"--file {file} is not JSON: {exception.Message}");
        }
    }

    /// <summary>--if-match 3 means the entity tag "3"; a quoted tag or * passes as it is.</summary>
    private static string? IfMatch(string? value) =>
        value is null || value == "*" || value.StartsWith('"') ? value : $"\"{value}\"";

    private static void Render(IAnsiConsole console, ApiAnswer answer)
    {
        var events = answer.Json.GetProperty("eventIds").EnumerateArray().Select(e => e.GetString()).ToList();
        var policyId = answer.Json.GetProperty("policyId").GetString();
        var version = answer.Json.GetProperty("version").GetInt64().ToString(CultureInfo.InvariantCulture);
        var recordedAt = TimeDisplay.Recorded(answer.Json.GetProperty("recordedAt").GetDateTimeOffset());
        if (answer.Replayed)
        {
            console.MarkupLine($"[yellow]Already recorded[/] by an earlier request with this idempotency key, at {recordedAt}: nothing new written.");
        }
        else
        {
            console.MarkupLine($"[green]Recorded[/] {events.Count} event{(events.Count == 1 ? "" : "s")} on [bold]{Markup.Escape(policyId ?? "")}[/] at {recordedAt}; it is now at version {version}.");
        }

        foreach (var eventId in events)
        {
            console.WriteLine($"  event {eventId}");
        }
    }
}
