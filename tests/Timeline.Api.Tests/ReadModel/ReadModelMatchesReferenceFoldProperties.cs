using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Timeline.Api.PointInTime;
using Timeline.Api.ReadModel;
using Timeline.Api.Tests.Infrastructure;
using Timeline.Domain.Policies;
using Timeline.Domain.Timelines;
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
        var histories = new Dictionary<string, IReadOnlyList<RecordedEvent>>();
        await using (var session = App.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            foreach (var id in replay.Instruments)
            {
                var events = await session.Events.FetchStreamAsync(id, token: TestContext.Current.CancellationToken);
                histories[id] = [.. events.Select(PolicyTimelineProjection.ToRecorded)];
            }
        }

        var pairs = 0;
        foreach (var (id, history) in histories.Where(h => h.Value.Count > 0))
        {
            var asOfs = Probes.RecordTimes(history, []);
            var ats = Probes.EffectiveTimes(history, []);
            foreach (var asOf in asOfs.Where(t => t.Year < 2100))
            {
                await CheckTimelineAsync(id, history, asOf);
            }

            for (var n = 0; n < PairsPerInstrument; n++)
            {
                await CheckStateAsync(id, history, ats[random.Next(ats.Count)], asOfs[random.Next(asOfs.Count)]);
                pairs++;
            }
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

    private async Task CheckStateAsync(string id, IReadOnlyList<RecordedEvent> history, DateTimeOffset at, DateTimeOffset asOf)
    {
        var expected = ReferenceFold.StateAt(history, at, asOf);
        var path = $"/api/policies/{id}?at={Uri.EscapeDataString(Instant(at))}&asOf={Uri.EscapeDataString(Instant(asOf))}";
        if (expected is null)
        {
            await App.Anonymous.GetJsonAsync(path, System.Net.HttpStatusCode.NotFound);
            return;
        }

        var segment = PolicyTimeline.Build(history, asOf)!.SegmentAt(at);
        var view = PolicyView.Create<PolicyView>(
            expected.State,
            ReadModelWriter.StatusName(expected.Status),
            history.Count(e => e.RecordedAt <= asOf),
            segment.ValidFrom,
            segment.ValidTo);
        var actual = JsonNode.Parse((await App.Anonymous.GetJsonAsync(path)).GetRawText())!.AsObject();
        actual.Remove("at");
        actual.Remove("asOf");
        AssertSameJson(JsonSerializer.SerializeToNode(view, HttpJson)!, actual, $"{id} at {Instant(at)} as of {Instant(asOf)}");
    }

    private async Task CheckTimelineAsync(string id, IReadOnlyList<RecordedEvent> history, DateTimeOffset asOf)
    {
        var expected = PolicyTimeline.Build(history, asOf);
        var path = $"/api/policies/{id}/timeline?asOf={Uri.EscapeDataString(Instant(asOf))}";
        if (expected is null)
        {
            await App.Anonymous.GetJsonAsync(path, System.Net.HttpStatusCode.NotFound);
            return;
        }

        var versions = (await App.Anonymous.GetJsonAsync(path)).GetProperty("versions").EnumerateArray().ToList();
        Assert.True(
            expected.Segments.Count == versions.Count,
            $"{id} as of {Instant(asOf)}: {expected.Segments.Count} segments expected, {versions.Count} versions read:{Environment.NewLine}{string.Join(Environment.NewLine, versions)}");
        foreach (var (segment, version) in expected.Segments.Zip(versions))
        {
            var where = $"{id} as of {Instant(asOf)}, segment from {segment.ValidFrom?.ToString("o", CultureInfo.InvariantCulture) ?? "ever"}";
            Assert.True(segment.ValidFrom == Optional(version, "validFrom") && segment.ValidTo == Optional(version, "validTo"), $"{where}: bounds {version}");
            Assert.True(ReadModelWriter.StatusName(segment.Snapshot.Status) == version.Text("status"), $"{where}: status {version}");
            AssertSameJson(JsonSerializer.SerializeToNode(segment.Snapshot.State.Provisions, HttpJson)!, JsonNode.Parse(version.GetProperty("provisions").GetRawText())!, where);
        }
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

    private static DateTimeOffset? Optional(JsonElement version, string property) =>
        version.GetProperty(property).ValueKind == JsonValueKind.Null ? null : version.GetProperty(property).GetDateTimeOffset();

    private JsonSerializerOptions HttpJson => App.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    private static void AssertSameJson(JsonNode expected, JsonNode actual, string where) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{where}:{Environment.NewLine}  expected {expected.ToJsonString()}{Environment.NewLine}  actual   {actual.ToJsonString()}");
}
