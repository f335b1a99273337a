using System.Net;
using System.Text.Json;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Notifications;

/// <summary>GET /api/changes/stream: server-sent events from the log, resumable with Last-Event-ID, filtered by topic.</summary>
public sealed class ChangeStreamTests(TimelineApp app) : ApiTest(app)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_client_that_disconnects_and_resumes_with_Last_Event_ID_receives_every_change_exactly_once()
    {
        const string Topic = "stream-resume";
        var written = new List<Guid>();
        var seen = new List<ServerSentEvent>();

        using (var first = await OpenAsync($"?topic={Topic}"))
        {
            written.AddRange(await WriteAsync("us-stream-a", Topic, 3));
            for (var i = 0; i < 3; i++)
            {
                seen.Add(await first.NextAsync(Wait));
            }
        }

        // Disconnected: these are recorded while nobody listens.
        written.AddRange(await WriteAsync("us-stream-b", Topic, 3));

        using (var second = await OpenAsync($"?topic={Topic}", lastEventId: seen[^1].Id))
        {
            written.AddRange(await WriteAsync("us-stream-c", Topic, 2));
            for (var i = 0; i < 5; i++)
            {
                seen.Add(await second.NextAsync(Wait));
            }
        }

        Assert.All(seen, e => Assert.Equal("policy-changed", e.Event));
        var ids = seen.Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("eventId").GetGuid()).ToList();
        Assert.Equal(written, ids);
        var sequences = seen.Select(e => long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        Assert.All(seen, e => Assert.Equal(e.Id, JsonDocument.Parse(e.Data).RootElement.GetProperty("globalSequence").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task The_topic_filter_passes_only_changes_of_instruments_with_that_topic()
    {
        using var stream = await OpenAsync("?topic=stream-wanted");
        await App.Writer.WriteAsync("/api/policies", Issue("us-stream-other", "2024-01-01", ("topics", new[] { "stream-other" })));
        var wanted = await App.Writer.WriteAsync("/api/policies", Issue("us-stream-wanted", "2024-01-01", ("topics", new[] { "stream-other", "stream-wanted" })));

        // Changes come in log order, so the first one through the filter shows the earlier one was left out.
        var first = JsonDocument.Parse((await stream.NextAsync(Wait)).Data).RootElement;
        Assert.Equal(wanted.EventIds[0], first.GetProperty("eventId").GetGuid());
    }

    [Fact]
    public async Task A_malformed_Last_Event_ID_or_topic_is_a_400_problem()
    {
        foreach (var (query, header) in new[] { ("", "not-a-number"), ("?topic=Not%20A%20Topic", null) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/changes/stream" + query);
            if (header is not null)
            {
                request.Headers.Add("Last-Event-ID", header);
            }

            using var response = await App.Anonymous.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private async Task<List<Guid>> WriteAsync(string id, string topic, int events)
    {
        var ids = new List<Guid>((await App.Writer.WriteAsync("/api/policies", Issue(id, "2024-01-01", ("topics", new[] { topic })))).EventIds);
        for (var i = 1; i < events; i++)
        {
            ids.AddRange((await App.Writer.WriteAsync($"/api/policies/{id}/amendments", new { effectiveAt = "2024-06-01", set = new { n = i } })).EventIds);
        }

        return ids;
    }

    private async Task<OpenStream> OpenAsync(string query, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/changes/stream" + query);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await App.Anonymous.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new ServerSentEventReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        await reader.WaitUntilOpenAsync(Wait);
        return new OpenStream(request, response, reader);
    }

    /// <summary>An open stream; disposing it disconnects.</summary>
    private sealed class OpenStream(HttpRequestMessage request, HttpResponseMessage response, ServerSentEventReader reader) : IDisposable
    {
        public Task<ServerSentEvent> NextAsync(TimeSpan timeout) => reader.NextAsync(timeout);

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
            request.Dispose();
        }
    }
}
