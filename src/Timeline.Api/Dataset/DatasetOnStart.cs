using System.Diagnostics;
using Timeline.Dataset.Format;
using Timeline.Dataset.Loading;

namespace Timeline.Api.Dataset;

/// <summary>
/// Loads the curated dataset when the service starts on a store that holds nothing else: the first start
/// of the embedded default, or a start after an interrupted load (which then writes only what is missing).
/// A store that holds other writes is left alone; <c>timeline dataset load</c> loads it there.
/// </summary>
public static class DatasetOnStart
{
    public const string LoadOnStartKey = "Timeline:Dataset:LoadOnStart";

    /// <summary>The command-line switch that skips the load for one start.</summary>
    public const string SkipFlag = "--no-dataset";

    /// <summary>
    /// Loads on start when <c>Timeline:Dataset:LoadOnStart</c> says so, else when <paramref name="loadByDefault"/>
    /// (the embedded default); never when <paramref name="skip"/> (<c>--no-dataset</c>).
    /// </summary>
    public static IHostApplicationBuilder AddDatasetOnStart(this IHostApplicationBuilder builder, bool loadByDefault, bool skip = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<WriterDatasetTarget>();
        if (!skip && (builder.Configuration.GetValue<bool?>(LoadOnStartKey) ?? loadByDefault))
        {
            // Registered after the store, so the schema exists when it runs.
            builder.Services.AddHostedService<Loader>();
        }

        return builder;
    }

    private sealed class Loader(WriterDatasetTarget target, ILogger<Loader> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (await target.HoldsOtherEventsAsync(cancellationToken))
            {
                logger.LogInformation("The store holds other writes: the dataset is not loaded on start (use `timeline dataset load`)");
                return;
            }

            var dataset = CuratedDataset.Embedded();
            var clock = Stopwatch.StartNew();
            logger.LogInformation("Loading the dataset '{Name}': {Entries} entries", dataset.Name, dataset.Entries.Count);
            var report = await DatasetLoader.LoadAsync(dataset, target, step =>
            {
                if (step.Outcome == LoadOutcome.Failed)
                {
                    logger.LogError("Dataset entry {Entry} refused: {Detail}", step.Entry.Id, step.Detail);
                }
                else if (step.Outcome == LoadOutcome.Changed)
                {
                    logger.LogWarning("Dataset entry {Entry} not written: {Detail}", step.Entry.Id, step.Detail);
                }
                else if (step.Number % 10 == 0 || step.Number == step.Total)
                {
                    logger.LogInformation("Dataset: {Number}/{Total} entries", step.Number, step.Total);
                }
            }, cancellationToken);

            foreach (var refused in report.Refused)
            {
                logger.LogError("Dataset not loaded, an entry would be refused: {Problem}", refused);
            }

            if (report.Succeeded)
            {
                logger.LogInformation(
                    "Dataset loaded in {Seconds:0.0} s: {Written} entries written ({Events} events), {Already} already loaded, {Changed} changed since loaded",
                    clock.Elapsed.TotalSeconds, report.Written, report.EventsWritten, report.AlreadyLoaded, report.Changed.Count());
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
