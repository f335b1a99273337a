using System.CommandLine;
using Spectre.Console;
using Timeline.Cli.Service;
using static Timeline.Cli.Reading.AtCommand;

namespace Timeline.Cli.Audit;

/// <summary><c>timeline verify</c>: has anyone changed the log? Exit code 4 when the hash chain does not verify.</summary>
internal static class VerifyCommand
{
    public static Command Create(CliContext cli)
    {
        var json = CliContext.JsonOption();
        var command = new Command("verify", $"Recompute the audit log's hash chain on the service: exit code {ExitCodes.VerificationFailed} if any event was changed, deleted, inserted or reordered.")
        {
            json,
        };
        cli.SetAction(command, async (parse, cancellationToken) =>
        {
            using var service = cli.Connect(parse);
            var answer = await service.GetAsync("api/audit/verify", cancellationToken);
            var ok = answer.Json.GetProperty("ok").GetBoolean();
            if (parse.GetValue(json))
            {
                await cli.Environment.Output.WriteLineAsync(answer.Text);
            }
            else if (ok)
            {
                cli.Out.MarkupLine(
                    $"[green]The audit chain verifies[/]: {answer.Json.GetProperty("events").GetInt64()} events, "
                    + $"head hash {Markup.Escape(Text(answer.Json, "headHash") ?? "")} at sequence {answer.Json.GetProperty("headSequence").GetInt64()}.");
            }
            else
            {
                cli.Out.MarkupLine(
                    $"[red]The audit chain does NOT verify[/] from sequence {answer.Json.GetProperty("firstFailedSequence")}: {Markup.Escape(Text(answer.Json, "reason") ?? "")}");
                cli.Out.WriteLine(
                    "The log was changed outside the service after it was recorded. `curl <server>/api/audit/log` gives the log with its hashes; compare it with a signed checkpoint or a backup.");
            }

            return ok ? ExitCodes.Ok : ExitCodes.VerificationFailed;
        });
        return command;
    }
}
