using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Timeline.Benchmarks.Results;

namespace Timeline.Benchmarks;

/// <summary>Which run measured a phase: the commit, when it finished, and how long the phase took.</summary>
internal sealed record PhaseRun(string Commit, string Finished, double Minutes);

/// <summary>
/// The figures measured so far, saved after each phase so that a stopped run resumes, with the run that measured each
/// phase: a resumed run's table must not pass off an earlier run's figures as its own.
/// </summary>
internal sealed class Phases(string path, string commit, Dictionary<string, List<Figure>> done, Dictionary<string, long> counts, List<string> notes, Dictionary<string, PhaseRun> runs)
{
    // A figure that could not be measured is NaN: saved as such rather than losing hours of measured phases.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly List<string> _measuredNow = [];

    public List<string> Notes => notes;

    public static async Task<Phases> LoadAsync(string path, string commit)
    {
        if (!File.Exists(path))
        {
            return new Phases(path, commit, [], [], [], []);
        }

        var saved = JsonSerializer.Deserialize<Saved>(await File.ReadAllTextAsync(path), Json)!;
        Console.WriteLine($"Resuming: {string.Join(", ", saved.Done.Keys)} already measured");
        // Files saved before phases recorded their run have no runs.
        return new Phases(path, commit, saved.Done, saved.Counts, saved.Notes, saved.Runs ?? []);
    }

    public async Task RunAsync(string phase, Func<List<Figure>, Task> measure)
    {
        if (done.ContainsKey(phase))
        {
            return;
        }

        var figures = new List<Figure>();
        var clock = Stopwatch.StartNew();
        await measure(figures);
        done[phase] = figures;
        runs[phase] = new PhaseRun(commit, Machine.Now(), clock.Elapsed.TotalMinutes);
        _measuredNow.Add(phase);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new Saved(done, counts, notes, runs), Json));
    }

    public double Figure(string key) => done.Values.SelectMany(f => f).First(f => f.Key == key).Value;

    public void Set(string key, long value) => counts[key] = value;

    public long Get(string key) => counts.GetValueOrDefault(key);

    public List<Figure> AllFigures() => [.. done.Values.SelectMany(f => f)];

    /// <summary>
    /// When earlier runs of this work directory measured some of the phases, which ones and by which run; null when
    /// this run measured them all.
    /// </summary>
    public string? ResumedNote()
    {
        var earlier = done.Keys.Where(phase => !_measuredNow.Contains(phase)).ToList();
        if (earlier.Count == 0)
        {
            return null;
        }

        // Grouped by the commit that measured them: usually one earlier run, resumed once.
        var byRun = earlier
            .GroupBy(phase => runs.TryGetValue(phase, out var run) ? run.Commit : null)
            .Select(group => group.Key is null
                ? $"{string.Join(", ", group)} (by a run that did not record its commit)"
                : $"{string.Join(", ", group)} (commit `{group.Key}`, {group.Sum(phase => runs[phase].Minutes):F1} minutes, the last finished {group.Max(phase => runs[phase].Finished)})");
        var now = _measuredNow.Count == 0 ? "nothing" : string.Join(", ", _measuredNow);
        return $"Resumed: earlier runs of this work directory measured {string.Join("; ", byRun)}. This run measured {now}: the commit and minutes above are its own.";
    }

    private sealed record Saved(Dictionary<string, List<Figure>> Done, Dictionary<string, long> Counts, List<string> Notes, Dictionary<string, PhaseRun>? Runs);
}
