using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Spectre.Console;
using Timeline.Cli.Output;
using Timeline.Cli.Service;
using Timeline.Domain.Time;
using static Timeline.Cli.Reading.AtCommand;
using static Timeline.Cli.Reading.ShowCommand;

namespace Timeline.Cli.Watching;

/// <summary>
/// <c>timeline watch</c>: every change as it is recorded, from <c>GET /api/changes/stream</c>. When the connection drops it
/// reconnects with <c>Last-Event-ID</c>, so no change is missed or shown twice; Ctrl+C stops it (exit code 0).
/// </summary>
internal static class WatchCommand
{
    private static readonly TimeSpan DefaultRetry = TimeSpan.FromSeconds(2);

    public static Command Create(CliContext cli)
    {
        var topic = new Option<string?>("--topic") { Description = "Only changes of instruments with this topic." };
        var jurisdiction = new Option<string?>("--jurisdiction") { Description = "Only changes of instruments in this jurisdiction." };
        var after = new Option<long?>("--after") { Description = "Start after this change (its sequence, the first column), instead of from now." };
        var json = CliContext.JsonOption();
        json.Description = "Print each change as one line of JSON (the service's PolicyChanged), for scripts.";
        var command = new Command("watch", "Show changes live as they are recorded, until Ctrl+C. Reconnects by itself and resumes where it was.")
        {
            topic, jurisdiction, after, json,
        };
        cli.SetAction(command, async (parse, cancellationToken) =>
        {
            using var service = cli.Connect(parse);
            var path = ApiPath.Of("api/changes/stream", ("topic", parse.GetValue(topic)), ("jurisdiction", parse.GetValue(jurisdiction)));
            var last = parse.GetValue(after)?.ToString(CultureInfo.InvariantCulture);
            var connected = false;
            var retry = DefaultRetry;
            var error = cli.Environment.Error;
            try
            {
                while (true)
                {
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Get, path);
                        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                        if (last is not null)
                        {
                            request.Headers.Add("Last-Event-ID", last);
                        }

                        using var response = await service.OpenStreamAsync(request, cancellationToken);
                        await error.WriteLineAsync(connected
                            ? $"Reconnected; resuming after change {last ?? "(none yet)"}."
                            : $"Watching changes at {service.Server}{(last is null ? "" : $" after change {last}")} (Ctrl+C to stop).");
                        connected = true;
                        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                        await foreach (var change in ServerSentEvents.ReadAsync(body, cancellationToken))
                        {
                            retry = change.Retry ?? retry;
                            if (change.Data is null)
                            {
                                continue;
                            }

                            Show(cli, change.Data, parse.GetValue(json));
                            last = change.Id ?? last;
                        }

                        await error.WriteLineAsync($"The service closed the stream; reconnecting in {retry.TotalSeconds:0.#} s.");
                    }
                    catch (Exception exception) when (connected && !cancellationToken.IsCancellationRequested
                        && exception is ServiceUnreachableException or HttpRequestException or IOException or ServiceFailedException)
                    {
                        // Once watching, an outage is waited out: the stream resumes after the last change shown.
                        await error.WriteLineAsync($"Lost the service at {service.Server} ({exception.Message}); retrying in {retry.TotalSeconds:0.#} s.");
                    }

                    await Task.Delay(retry, TimeProvider.System, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("Stopped.");
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    private static void Show(CliContext cli, string data, bool json)
    {
        if (json)
        {
            cli.Environment.Output.WriteLine(data);
            cli.Environment.Output.Flush();
            return;
        }

        var change = JsonSerializer.Deserialize<JsonElement>(data);
        var zone = Text(change, "jurisdiction") is { } jurisdiction ? TimeZones.ZoneIdForJurisdiction(jurisdiction) : null;
        var effective = Instant(change, "effectiveAt") is { } at ? $"effective {TimeDisplay.Effective(at, zone)}" : "a correction of the record";
        cli.Out.MarkupLine(
            $"[grey]{change.GetProperty("globalSequence").GetInt64()}[/]  recorded {TimeDisplay.Recorded(Instant(change, "recordedAt"))}  "
            + $"[bold]{Markup.Escape(Text(change, "policyId") ?? "")}[/] [cyan]{Markup.Escape(Text(change, "changeType") ?? "")}[/]  {Markup.Escape(effective)}  "
            + Markup.Escape(Text(change, "summary") ?? ""));
        cli.Environment.Output.Flush();
    }
}
