using System.CommandLine;
using Spectre.Console;
using Timeline.Cli.Output;
using Timeline.Cli.Service;
using Timeline.Dataset.FederalRegister;
using Timeline.Dataset.Format;
using Timeline.Dataset.Loading;

namespace Timeline.Cli.Import;

/// <summary><c>timeline import federal-register &lt;files...&gt;</c>.</summary>
public static class ImportCommands
{
    internal static Command Create(CliContext cli) => new("import", "Bring instruments in from other records.") { FederalRegister(cli) };

    private static Command FederalRegister(CliContext cli)
    {
        var files = new Argument<FileInfo[]>("files")
        {
            Description = "Federal Register API document JSON files (one document, or a search's results).",
            Arity = ArgumentArity.OneOrMore,
        }.AcceptExistingOnly();
        var topics = new Option<string[]>("--topic")
        {
            Description = "Topics for the instruments (repeatable); default from the agencies, e.g. export-controls for BIS.",
            AllowMultipleArgumentsPerToken = false,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what each document maps to; write nothing." };
        var command = new Command("federal-register", "Import Federal Register documents: rules, corrections, executive orders and proclamations. Idempotent by document number.")
        {
            files,
            topics,
            dryRun,
        };
        cli.SetAction(command, async (parse, cancellationToken) =>
        {
            var output = cli.Environment.Output;
            var knownIds = FederalRegisterMapper.KnownIds(CuratedDataset.Embedded());
            var plans = new List<ImportPlan>();
            foreach (var file in parse.GetValue(files)!)
            {
                plans.AddRange(FederalRegisterMapper.MapFile(file.Name, await File.ReadAllTextAsync(file.FullName, cancellationToken), knownIds, parse.GetValue(topics)));
            }

            if (parse.GetValue(dryRun))
            {
                foreach (var plan in plans)
                {
                    await output.WriteLineAsync($"{plan.Source} ({plan.DocumentNumber ?? "no document number"}):");
                    foreach (var write in plan.Writes)
                    {
                        await output.WriteLineAsync($"  POST {write.Path} {write.Body.ToJsonString()}");
                    }

                    foreach (var message in plan.Errors.Select(e => "  error: " + e).Concat(plan.Notes.Select(n => "  note: " + n)))
                    {
                        await output.WriteLineAsync(message);
                    }
                }

                return plans.All(plan => plan.CanImport) ? ExitCodes.Ok : ExitCodes.Refused;
            }

            using var service = cli.Connect(parse, write: true);
            var client = new TimelineHttpClient(service.Http);
            IReadOnlyList<ImportResult> results;
            try
            {
                results = Terminal.IsRich(cli.Environment)
                    ? await WithProgressBarAsync(cli.Out, plans, client, cancellationToken)
                    : await FederalRegisterImport.ApplyAsync(plans, client, result => output.WriteLine(Describe(result)), cancellationToken);
            }
            catch (HttpRequestException exception) when (exception.StatusCode is null)
            {
                throw new ServiceUnreachableException(service.Server, exception.InnerException?.Message ?? exception.Message, exception);
            }
            catch (HttpRequestException exception)
            {
                throw new ServiceFailedException($"The service at {service.Server} did not answer as expected: {exception.Message}");
            }

            await output.WriteLineAsync(
                $"{results.Count(r => r.Outcome == ImportOutcome.Imported)} imported ({results.Sum(r => r.Events)} events), "
                + $"{results.Count(r => r.Outcome == ImportOutcome.AlreadyRecorded)} already recorded, {results.Count(r => r.Outcome == ImportOutcome.Failed)} failed.");
            return results.Any(r => r.Outcome == ImportOutcome.Failed) ? ExitCodes.Refused : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>On a terminal: a bar over the documents, each outcome printed above it as it comes.</summary>
    private static Task<IReadOnlyList<ImportResult>> WithProgressBarAsync(
        IAnsiConsole console, List<ImportPlan> plans, TimelineHttpClient client, CancellationToken cancellationToken) =>
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask($"Importing {plans.Count} document{(plans.Count == 1 ? "" : "s")}", maxValue: plans.Count);
                return await FederalRegisterImport.ApplyAsync(plans, client, result =>
                {
                    console.MarkupLine(Markup.Escape(Describe(result)));
                    bar.Increment(1);
                }, cancellationToken);
            });

    private static string Describe(ImportResult result) =>
        $"{result.Plan.Source} ({result.Plan.DocumentNumber ?? "?"}): {Describe(result.Outcome)}: {string.Join("; ", result.Messages)}";

    private static string Describe(ImportOutcome outcome) => outcome switch
    {
        ImportOutcome.Imported => "imported",
        ImportOutcome.AlreadyRecorded => "already recorded",
        _ => "FAILED, nothing written",
    };
}
