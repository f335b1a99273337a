using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Timeline.Cli.Audit;
using Timeline.Cli.Dataset;
using Timeline.Cli.Import;
using Timeline.Cli.Reading;
using Timeline.Cli.Service;
using Timeline.Cli.Watching;
using Timeline.Cli.Writing;

namespace Timeline.Cli;

/// <summary>The <c>timeline</c> command: one subcommand per question or write, as the HTTP API has them.</summary>
public static class TimelineCommand
{
    public static RootCommand Create(CliEnvironment? environment = null)
    {
        var cli = new CliContext(environment ?? CliEnvironment.FromProcess());
        var root = new RootCommand(
            "timeline: which policy was in force on a date, as the record stood on a date, and the moment it changes. "
            + $"Talks to the service's HTTP API (--server, default {ServiceOptions.DefaultServer}); writes need a key in ${ServiceOptions.KeyVariable}.");
        cli.Service.AddTo(root);
        foreach (var command in new[]
        {
            AtCommand.Create(cli), ShowCommand.Create(cli), HistoryCommand.Create(cli), DiffCommand.Create(cli), WatchCommand.Create(cli), VerifyCommand.Create(cli),
        }.Concat(WriteCommands.Create(cli)).Append(ImportCommands.Create(cli)).Append(DatasetCommands.Create(cli)))
        {
            root.Subcommands.Add(command);
        }

        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithExitCodes((HelpAction)help.Action!);
        return root;
    }

    /// <summary>Parses and runs a command line: a malformed one is a usage error (exit code 2) that says where help is.</summary>
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var parse = Create(environment).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await environment.Error.WriteLineAsync(error.Message);
            }

            var path = string.Join(' ', parse.CommandResult.RecurseWhileNotNull(c => c.Parent as System.CommandLine.Parsing.CommandResult).Reverse().Skip(1).Select(c => c.Command.Name));
            await environment.Error.WriteLineAsync($"See `timeline {path}{(path.Length == 0 ? "" : " ")}--help`.");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = environment.Output, Error = environment.Error };
        if (!environment.HandlesInterrupt)
        {
            configuration.ProcessTerminationTimeout = null;
        }

        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    private static IEnumerable<T> RecurseWhileNotNull<T>(this T? first, Func<T, T?> next)
        where T : class
    {
        for (var current = first; current is not null; current = next(current))
        {
            yield return current;
        }
    }

    /// <summary>The usual help, then the exit codes scripts can rely on.</summary>
    private sealed class HelpWithExitCodes(HelpAction help) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var exitCode = help.Invoke(parseResult);
            parseResult.InvocationConfiguration.Output.WriteLine(ExitCodes.Help);
            return exitCode;
        }
    }
}
