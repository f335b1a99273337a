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
/// Whether the HTTP reads, served from the read model, answer as the reference fold over the stored log: one
/// instrument's state at (at, asOf), and its timeline as of a record time. Used by the property tests and the load test.
/// </summary>
internal sealed class ReadModelAgreement(TimelineApp app)
{
    private TimelineApp App => app;

    /// <summary>The stored events of each instrument, as the domain sees them.</summary>
    public static async Task<Dictionary<string, IReadOnlyList<RecordedEvent>>> HistoriesAsync(TimelineApp app, IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(ids);
        var histories = new Dictionary<string, IReadOnlyList<RecordedEvent>>();
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        foreach (var id in ids)
        {
            var events = await session.Events.FetchStreamAsync(id, token: TestContext.Current.CancellationToken);
            histories[id] = [.. events.Select(PolicyTimelineProjection.ToRecorded)];
        }

        return histories;
    }

    /// <summary>
    /// Checks the timeline as of every record time (or as of <paramref name="timelines"/> of them, evenly spread), and
    /// <paramref name="pairs"/> random (at, asOf) states; returns the pairs checked.
    /// </summary>
    public async Task<int> CheckInstrumentAsync(string id, IReadOnlyList<RecordedEvent> history, Random random, int pairs, int? timelines = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(random);
        var asOfs = Probes.RecordTimes(history, []);
        var ats = Probes.EffectiveTimes(history, []);
        var probed = asOfs.Where(t => t.Year < 2100).ToList();
        if (timelines is { } most && probed.Count > most)
        {
            probed = [.. Enumerable.Range(0, most).Select(i => probed[i * (probed.Count - 1) / Math.Max(1, most - 1)]).Distinct()];
        }

        foreach (var asOf in probed)
        {
            await CheckTimelineAsync(id, history, asOf);
        }

        for (var n = 0; n < pairs; n++)
        {
            await CheckStateAsync(id, history, ats[random.Next(ats.Count)], asOfs[random.Next(asOfs.Count)]);
        }

        return pairs;
    }

    public async Task CheckStateAsync(string id, IReadOnlyList<RecordedEvent> history, DateTimeOffset at, DateTimeOffset asOf)
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

    public async Task CheckTimelineAsync(string id, IReadOnlyList<RecordedEvent> history, DateTimeOffset asOf)
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

    private static DateTimeOffset? Optional(JsonElement version, string property) =>
        version.GetProperty(property).ValueKind == JsonValueKind.Null ? null : version.GetProperty(property).GetDateTimeOffset();

    private JsonSerializerOptions HttpJson => App.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    private static void AssertSameJson(JsonNode expected, JsonNode actual, string where) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{where}:{Environment.NewLine}  expected {expected.ToJsonString()}{Environment.NewLine}  actual   {actual.ToJsonString()}");
}
