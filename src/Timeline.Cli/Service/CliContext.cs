using System.CommandLine;
using Spectre.Console;
using Timeline.Cli.Output;

namespace Timeline.Cli.Service;

/// <summary>What every command is built with: the process it runs in and the shared service options.</summary>
internal sealed class CliContext(CliEnvironment environment)
{
    public CliEnvironment Environment { get; } = environment;

    public ServiceOptions Service { get; } = new();

    /// <summary>The console for results (stdout): colours and tables on a terminal, plain text otherwise.</summary>
    public IAnsiConsole Out => Terminal.Create(Environment.Output, Environment);

    /// <summary>The console for errors and progress (stderr).</summary>
    public IAnsiConsole Err => Terminal.Create(Environment.Error, Environment);

    public static Option<bool> JsonOption() => new("--json") { Description = "Print the service's JSON answer instead of a table, for scripts." };

    public ServiceClient Connect(ParseResult parse, bool write = false) => Service.Connect(parse, Environment, write);

    /// <summary>
    /// Sets a command's action, turning each way it can fail into its exit code and a message that says what to do.
    /// </summary>
    public void SetAction(Command command, Func<ParseResult, CancellationToken, Task<int>> action, string? policyIdArgument = null)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = Environment.Error;
            try
            {
                return await action(parse, cancellationToken);
            }
            catch (UsageException exception)
            {
                await error.WriteLineAsync(exception.Message);
                return ExitCodes.Usage;
            }
            catch (ServiceUnreachableException exception)
            {
                await error.WriteLineAsync(exception.Message);
                await error.WriteLineAsync(
                    $"Is it running? Start it with `dotnet run --project src/Timeline.Api` (it listens on {ServiceOptions.DefaultServer}), or point --server at it.");
                return ExitCodes.Unreachable;
            }
            catch (ServiceRefusedException exception)
            {
                var id = policyIdArgument is null ? null : parse.GetValue<string>(policyIdArgument);
                ProblemReport.Write(Err, exception, command.Name, id);
                if (exception.Problem is { } problem && command.Options.Any(o => o.Name == "--json") && parse.GetValue<bool>("--json"))
                {
                    // A script asked for JSON: it gets the problem as the service sent it, on stdout as an answer would be.
                    await Environment.Output.WriteLineAsync(problem.GetRawText());
                }

                return ExitCodes.Refused;
            }
            catch (ServiceFailedException exception)
            {
                await error.WriteLineAsync(exception.Message);
                return ExitCodes.ServiceFailed;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("Interrupted.");
                return ExitCodes.Interrupted;
            }
        });
    }
}
