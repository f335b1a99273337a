using Timeline.Api.ReadModel;
using Timeline.Api.Tests.Infrastructure;
using Timeline.Domain.Policies;
using Timeline.Testing;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.ReadModel;

/// <summary>
/// TIME-MODEL.md, "The read model": generated histories are written through the real write path, then the
/// HTTP reads, served from the read model, must answer exactly as the reference fold over the stored log,
/// for many (at, asOf) pairs: the state of one instrument, its timeline, and the point-in-time list.
/// TIMELINE_PROPERTY_ITERATIONS scales the number of scripts (default 200); a failure names the script.
/// </summary>
public sealed class ReadModelMatchesReferenceFoldProperties(TimelineApp app) : ApiTest(app)
{
    private const ulong Seed = 20261129;
    private const int PairsPerInstrument = 12;

    [Fact]
    public async Task Reads_served_from_the_read_model_answer_as_the_reference_fold_over_the_stored_log()
    {
        var scripts = HistoryGenerator.Sample((int)Math.Min(PropertySettings.Iterations, 5_000), Seed);
        var checkedPairs = 0;
        for (var i = 0; i < scripts.Count; i++)
        {
            var replay = new ScriptReplay(App, $"p{i:D5}-");
            try
            {
                await replay.PlayAsync(scripts[i]);
                checkedPairs += await CheckAsync(replay, new Random(i));
            }
            catch (Exception exception) when (exception is not Xunit.Sdk.SkipException)
            {
                throw new InvalidOperationException($"Script {i} (prefix p{i:D5}-):{Environment.NewLine}{scripts[i].Run()}", exception);
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{scripts.Count} scripts, {checkedPairs} (at, asOf) pairs checked");
        Assert.True(checkedPairs > scripts.Count, "the scripts should give histories worth asking about");
    }

    private async Task<int> CheckAsync(ScriptReplay replay, Random random)
    {
        var histories = await ReadModelAgreement.HistoriesAsync(App, replay.Instruments);
        var agreement = new ReadModelAgreement(App);
        var pairs = 0;
        foreach (var (id, history) in histories.Where(h => h.Value.Count > 0))
        {
            pairs += await agreement.CheckInstrumentAsync(id, history, random, PairsPerInstrument);
        }

        var everything = histories.Values.SelectMany(h => h).ToList();
        var listAsOfs = Probes.RecordTimes(everything, []);
        var listAts = Probes.EffectiveTimes(everything, []);
        for (var n = 0; n < 3 && everything.Count > 0; n++)
        {
            await CheckListAsync(replay, histories, listAts[random.Next(listAts.Count)], listAsOfs[random.Next(listAsOfs.Count)]);
        }

        return pairs;
    }

    private async Task CheckListAsync(ScriptReplay replay, Dictionary<string, IReadOnlyList<RecordedEvent>> histories, DateTimeOffset at, DateTimeOffset asOf)
    {
        var expected = histories
            .Select(h => (Id: h.Key, Snapshot: ReferenceFold.StateAt(h.Value, at, asOf)))
            .Where(h => h.Snapshot is not null)
            .Select(h => $"{h.Id}={ReadModelWriter.StatusName(h.Snapshot!.Status)}")
            .Order(StringComparer.Ordinal);
        var prefix = replay.Id(string.Empty);
        var list = await App.Anonymous.GetJsonAsync(
            $"/api/policies?status=any&limit=10&cursor={prefix.TrimEnd('-')}&at={Uri.EscapeDataString(Instant(at))}&asOf={Uri.EscapeDataString(Instant(asOf))}");
        var actual = list.GetProperty("items").EnumerateArray()
            .Where(item => item.Text("id").StartsWith(prefix, StringComparison.Ordinal))
            .Select(item => $"{item.Text("id")}={item.Text("status")}");
        Assert.Equal(expected, actual);
    }
}
