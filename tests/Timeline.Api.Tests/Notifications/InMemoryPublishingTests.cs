using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Timeline.Api.Tests.Infrastructure;
using Timeline.Contracts;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Notifications;

/// <summary>The embedded default: every write through the API reaches a consumer on the in-memory bus, with its fields, in order per instrument.</summary>
public sealed class InMemoryPublishingTests(TimelineApp app) : ApiTest(app)
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Writes_through_the_api_reach_a_consumer_with_correct_fields_in_order_per_instrument()
    {
        var inbox = new Inbox<PolicyChanged>();
        var bus = App.Services.GetRequiredService<IBus>();
        var endpoint = bus.ConnectReceiveEndpoint($"test-{Guid.NewGuid():N}", receive =>
        {
            receive.ConcurrentMessageLimit = 1; // as a subscriber that cares about order per instrument does
            receive.Handler<PolicyChanged>(context =>
            {
                inbox.Add(context.MessageId, context.Message);
                return Task.CompletedTask;
            });
        });
        await endpoint.Ready;
        try
        {
            var api = App.Writer;
            var writes = new List<WriteAnswer>
            {
                await api.WriteAsync("/api/policies", Issue(
                    "us-pub-a", "2024-01-01", ("topics", new[] { "export-controls", "ai" }), ("citation", "89 FR 100"), ("kind", "rule"), ("title", "Rule A"))),
                await api.WriteAsync("/api/policies", Issue("us-ca-pub-b", "2024-02-01", ("jurisdiction", "US-CA"), ("topics", new[] { "privacy" }))),
            };
            var amendment = await api.WriteAsync("/api/policies/us-pub-a/amendments", new { effectiveAt = "2024-03-01", set = new { fee = 10 }, citation = "89 FR 200" });
            writes.Add(amendment);
            writes.Add(await api.WriteAsync("/api/policies/us-ca-pub-b/suspensions", new { effectiveAt = "2024-04-01", reason = "stayed" }));
            // The instrument's topics as corrected: later changes (and the correction itself) carry them.
            writes.Add(await api.WriteAsync("/api/policies/us-ca-pub-b/corrections", new { eventId = writes[1].EventIds[0], changes = new { topics = new[] { "privacy", "consumer-protection" } }, reason = "topic missing" }));
            var reinstated = await api.WriteAsync("/api/policies/us-ca-pub-b/reinstatements", new { effectiveAt = "2024-05-01", reason = "stay lifted" });
            writes.Add(reinstated);
            writes.Add(await api.WriteAsync("/api/policies/us-pub-a/corrections", new { eventId = amendment.EventIds[0], changes = new { effectiveAt = "2024-02-15" }, reason = "took effect on publication" }));
            // One write, two streams: the new instrument's issue and the rescission it causes.
            writes.Add(await api.WriteAsync("/api/policies", Issue("us-pub-c", "2024-05-01", ("rescinds", new[] { "us-pub-a" }))));
            var written = writes.SelectMany(w => w.EventIds).ToList();

            var received = await inbox.WaitForAsync(messages => written.All(id => messages.Any(m => m.EventId == id)), "every written event", Delivery);

            Assert.Equal(written.Order(), received.Select(m => m.EventId).Order());
            Assert.All(inbox.Items, item => Assert.Equal(item.Message.EventId, item.MessageId));
            foreach (var instrument in received.GroupBy(m => m.PolicyId))
            {
                Assert.Equal(instrument.Select(m => m.StreamVersion).Order(), instrument.Select(m => m.StreamVersion));
            }

            await AssertMatchesHistoryAsync(received);
            var issued = received.Single(m => m.PolicyId == "us-pub-a" && m.ChangeType == "issued");
            Assert.Equal(("US", "export-controls,ai", "89 FR 100", "Rule A", "rule"), (issued.Jurisdiction, string.Join(',', issued.Topics), issued.Citation, issued.Title, issued.Kind));
            Assert.Equal("Issued: Rule A", issued.Summary);
            var suspended = received.Single(m => m.ChangeType == "suspended");
            Assert.Equal(("US-CA", "privacy", "Suspended: stayed"), (suspended.Jurisdiction, string.Join(',', suspended.Topics), suspended.Summary));
            Assert.Equal("privacy,consumer-protection", string.Join(',', received.Single(m => m.EventId == reinstated.EventIds[0]).Topics));
            Assert.Equal("privacy,consumer-protection", string.Join(',', received.Single(m => m.PolicyId == "us-ca-pub-b" && m.ChangeType == "corrected").Topics));
            var correction = received.Single(m => m.PolicyId == "us-pub-a" && m.ChangeType == "corrected");
            Assert.Null(correction.EffectiveAt);
            Assert.Equal(amendment.EventIds[0], correction.CorrectedEventId);
            Assert.Equal("Corrected an amendment: effectiveAt (took effect on publication)", correction.Summary);
            var rescinded = received.Single(m => m.ChangeType == "rescinded");
            Assert.Equal(("us-pub-a", "Rescinded by us-pub-c"), (rescinded.PolicyId, rescinded.Summary));
        }
        finally
        {
            await endpoint.StopAsync(TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Each message says what the instrument's history says about its event.</summary>
    private async Task AssertMatchesHistoryAsync(IReadOnlyList<PolicyChanged> received)
    {
        foreach (var instrument in received.GroupBy(m => m.PolicyId))
        {
            var history = await App.Anonymous.GetJsonAsync($"/api/policies/{instrument.Key}/history");
            var events = history.GetProperty("events").EnumerateArray().ToDictionary(e => e.GetProperty("eventId").GetGuid());
            foreach (var message in instrument)
            {
                var stored = events[message.EventId];
                Assert.Equal(stored.Text("type"), message.ChangeType);
                Assert.Equal(stored.GetProperty("version").GetInt64(), message.StreamVersion);
                Assert.Equal(stored.GetProperty("sequence").GetInt64(), message.GlobalSequence);
                Assert.Equal(stored.GetProperty("recordedAt").GetDateTimeOffset(), message.RecordedAt);
                var effectiveAt = stored.GetProperty("effectiveAt");
                Assert.Equal(effectiveAt.ValueKind == System.Text.Json.JsonValueKind.Null ? null : effectiveAt.GetDateTimeOffset(), message.EffectiveAt);
            }
        }
    }
}
