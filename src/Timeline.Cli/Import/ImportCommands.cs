using System.CommandLine;
using Timeline.Dataset.FederalRegister;
using Timeline.Dataset.Format;
using Timeline.Dataset.Loading;

namespace Timeline.Cli.Import;

/// <summary><c>timeline import federal-register &lt;files...&gt;</c>.</summary>
public static class ImportCommands
{
    public static Command Create() => new("import", "Bring instruments in from other records.") { FederalRegister() };

    private static Command FederalRegister()
    {
        var connection = new ServiceConnection();
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
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
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

                return plans.All(plan => plan.CanImport) ? 0 : 1;
            }

            using var client = connection.CreateClient(parse, parse.InvocationConfiguration.Error);
            if (client is null)
            {
                return 2;
            }

            var results = await FederalRegisterImport.ApplyAsync(plans, new TimelineHttpClient(client), result =>
                output.WriteLine($"{result.Plan.Source} ({result.Plan.DocumentNumber ?? "?"}): {Describe(result.Outcome)}: {string.Join("; ", result.Messages)}"), cancellationToken);
            await output.WriteLineAsync(
                $"{results.Count(r => r.Outcome == ImportOutcome.Imported)} imported ({results.Sum(r => r.Events)} events), "
                + $"{results.Count(r => r.Outcome == ImportOutcome.AlreadyRecorded)} already recorded, {results.Count(r => r.Outcome == ImportOutcome.Failed)} failed.");
            return results.Any(r => r.Outcome == ImportOutcome.Failed) ? 1 : 0;
        });
        return command;
    }

    private static string Describe(ImportOutcome outcome) => outcome switch
    {
        ImportOutcome.Imported => "imported",
        ImportOutcome.AlreadyRecorded => "already recorded",
        _ => "FAILED, nothing written",
    };
}
