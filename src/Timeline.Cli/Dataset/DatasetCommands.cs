using System.CommandLine;
using Timeline.Cli.Service;
using Timeline.Dataset.Format;
using Timeline.Dataset.Loading;

namespace Timeline.Cli.Dataset;

/// <summary><c>timeline dataset load</c> and <c>timeline dataset table</c>.</summary>
public static class DatasetCommands
{
    internal static Command Create(CliContext cli) => new("dataset", "The curated record of US AI, chip-export and H-1B policy (data/).")
    {
        Load(cli),
        Table(),
    };

    private static Option<DirectoryInfo?> DataOption() => new("--data")
    {
        Description = "Read the dataset from this folder instead of the copy built into the tool (e.g. data/ while editing it).",
    };

    private static Command Load(CliContext cli)
    {
        var data = DataOption();
        var command = new Command("load", "Load the dataset into a running service through its HTTP API. Loading twice writes nothing twice.") { data };
        cli.SetAction(command, async (parse, cancellationToken) =>
        {
            var output = cli.Environment.Output;
            var error = cli.Environment.Error;
            var dataset = Read(parse.GetValue(data), error);
            if (dataset is null)
            {
                return ExitCodes.Usage;
            }

            using var service = cli.Connect(parse, write: true);
            await output.WriteLineAsync($"Loading {dataset.Entries.Count} entries of '{dataset.Name}' into {service.Server}");
            LoadReport report;
            try
            {
                report = await DatasetLoader.LoadAsync(dataset, new HttpDatasetTarget(new TimelineHttpClient(service.Http)), step => output.WriteLine(Describe(step)), cancellationToken);
            }
            catch (HttpRequestException exception) when (exception.StatusCode is null)
            {
                throw new ServiceUnreachableException(service.Server, exception.InnerException?.Message ?? exception.Message, exception);
            }
            catch (HttpRequestException exception)
            {
                throw new ServiceFailedException($"The service at {service.Server} did not answer as expected: {exception.Message}");
            }

            foreach (var refused in report.Refused)
            {
                await error.WriteLineAsync($"refused in rehearsal, nothing written: {refused}");
            }

            await output.WriteLineAsync(
                $"{report.Written} entries written ({report.EventsWritten} events), {report.AlreadyLoaded} already loaded, {report.Changed.Count()} changed since loaded (not written).");
            return report.Succeeded ? ExitCodes.Ok : ExitCodes.Refused;
        });
        return command;
    }

    private static Command Table()
    {
        var data = DataOption();
        var outputFile = new Option<FileInfo>("--output")
        {
            Description = $"Where to write the page (default {InstrumentTable.DefaultPath}, relative to the current folder).",
            DefaultValueFactory = _ => new FileInfo(InstrumentTable.DefaultPath),
        };
        var command = new Command("table", "Write the page that lists the dataset's instruments (docs/dataset-instruments.md).") { data, outputFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var dataset = Read(parse.GetValue(data), parse.InvocationConfiguration.Error);
            if (dataset is null)
            {
                return 2;
            }

            string page;
            try
            {
                page = InstrumentTable.Markdown(dataset);
            }
            catch (InvalidOperationException exception)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(exception.Message);
                return 1;
            }

            var file = parse.GetValue(outputFile)!;
            file.Directory?.Create();
            await File.WriteAllTextAsync(file.FullName, page, cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"Wrote {file.FullName}");
            return 0;
        });
        return command;
    }

    private static CuratedDataset? Read(DirectoryInfo? directory, TextWriter error)
    {
        try
        {
            return directory is null ? CuratedDataset.Embedded() : CuratedDataset.FromDirectory(directory.FullName);
        }
        catch (DatasetFormatException exception)
        {
            error.WriteLine(exception.Message);
            return null;
        }
    }

    private static string Describe(LoadStep step)
    {
        var what = step.Outcome switch
        {
            LoadOutcome.Written => $"written ({step.Events} event{(step.Events == 1 ? "" : "s")})",
            LoadOutcome.AlreadyLoaded => "already loaded",
            LoadOutcome.Changed => "changed since loaded, not written: " + step.Detail,
            _ => "refused: " + step.Detail,
        };
        var width = step.Total.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        return $"[{step.Number.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width)}/{step.Total}] {step.Entry.Id}: {what}";
    }
}
