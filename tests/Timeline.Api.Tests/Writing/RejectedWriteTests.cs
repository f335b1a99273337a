using System.Net;
using System.Net.Http.Json;
using System.Text;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Writing;

/// <summary>
/// Every rejection of TIME-MODEL.md and HTTP-API.md: the right status as problem+json, and nothing
/// written (the same events, streams and read-model rows before and after).
/// </summary>
public sealed class RejectedWriteTests(TimelineApp app) : ApiTest(app), IAsyncLifetime
{
    private const string Existing = "us-rule-existing";
    private const string Rescinded = "us-rule-rescinded";
    private WriteAnswer _issued = null!;

    public async ValueTask InitializeAsync()
    {
        if ((await App.CountAsync()).Events > 0)
        {
            _issued = new WriteAnswer(Existing, [await FirstEventIdAsync(Existing)], 1, default);
            return;
        }

        _issued = await App.Writer.WriteAsync("/api/policies", Issue(Existing, "2024-01-10", ("provisions", new { fee = 100 })));
        await App.Writer.WriteAsync("/api/policies", Issue(Rescinded, "2024-01-10"));
        await App.Writer.WriteAsync($"/api/policies/{Rescinded}/rescissions", new { effectiveAt = "2024-06-01" });
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public Task An_event_for_an_unknown_instrument_is_404() =>
        AssertRejectedAsync(HttpStatusCode.NotFound, () => App.Writer.PostAsync("/api/policies/us-never-recorded/amendments", new { effectiveAt = "2024-02-01", set = new { fee = 1 } }));

    [Fact]
    public Task An_amendment_effective_before_the_issue_is_422() =>
        AssertRejectedAsync(HttpStatusCode.UnprocessableEntity, () => App.Writer.PostAsync($"/api/policies/{Existing}/amendments", new { effectiveAt = "2024-01-09", set = new { fee = 1 } }));

    [Fact]
    public Task Rescinding_what_is_already_rescinded_at_that_time_is_409() =>
        AssertRejectedAsync(HttpStatusCode.Conflict, () => App.Writer.PostAsync($"/api/policies/{Rescinded}/rescissions", new { effectiveAt = "2024-07-01" }));

    [Fact]
    public Task Rescinding_through_a_new_instrument_what_is_already_rescinded_is_409_and_the_new_instrument_is_not_written_either() =>
        AssertRejectedAsync(HttpStatusCode.Conflict, () => App.Writer.PostAsync("/api/policies", Issue("us-late-revocation", "2024-08-01", ("rescinds", new[] { Rescinded }))));

    [Fact]
    public Task A_correction_of_an_event_that_does_not_exist_is_422() =>
        AssertRejectedAsync(HttpStatusCode.UnprocessableEntity, () => App.Writer.PostAsync($"/api/policies/{Existing}/corrections", new { eventId = Guid.NewGuid(), changes = new { effectiveAt = "2024-01-11" }, reason = "typo" }));

    [Fact]
    public Task A_client_supplied_record_time_is_400() =>
        AssertRejectedAsync(HttpStatusCode.BadRequest, () => App.Writer.PostAsync($"/api/policies/{Existing}/amendments", new { effectiveAt = "2024-02-01", set = new { fee = 1 }, recordedAt = "2024-02-01T00:00:00Z" }), "record time");

    [Fact]
    public Task A_correction_of_the_record_time_is_400() =>
        AssertRejectedAsync(HttpStatusCode.BadRequest, () => App.Writer.PostAsync($"/api/policies/{Existing}/corrections", new { eventId = _issued.EventIds[0], changes = new { recordedAt = "2020-01-01T00:00:00Z" }, reason = "backdate" }));

    [Fact]
    public Task Issuing_an_id_already_recorded_is_409() =>
        AssertRejectedAsync(HttpStatusCode.Conflict, () => App.Writer.PostAsync("/api/policies", Issue(Existing, "2025-01-01")));

    [Fact]
    public Task Invalid_fields_are_400_with_a_message_per_field() =>
        AssertRejectedAsync(HttpStatusCode.BadRequest, () => App.Writer.PostAsync("/api/policies", new { id = "Not An Id", kind = "decree", title = "", jurisdiction = "us", topics = Array.Empty<string>(), effectiveAt = "2024-02-30" }), "errors");

    [Fact]
    public Task An_unknown_time_zone_is_400() =>
        AssertRejectedAsync(HttpStatusCode.BadRequest, () => App.Writer.PostAsync("/api/policies", Issue("us-zoned", "2024-01-01", ("timeZone", "Mars/Olympus_Mons"))), "timeZone");

    [Fact]
    public Task A_version_other_than_the_current_one_in_if_match_is_412() =>
        AssertRejectedAsync(HttpStatusCode.PreconditionFailed, () => SendAsync(HttpMethod.Post, $"/api/policies/{Existing}/amendments", """{"effectiveAt":"2024-02-01","set":{"fee":1}}""", ("If-Match", "\"99\"")));

    [Fact]
    public Task A_write_without_a_key_is_401() =>
        AssertRejectedAsync(HttpStatusCode.Unauthorized, () => App.Anonymous.PostAsync($"/api/policies/{Existing}/amendments", new { effectiveAt = "2024-02-01", set = new { fee = 1 } }));

    [Fact]
    public Task A_write_with_a_wrong_key_is_401() =>
        AssertRejectedAsync(HttpStatusCode.Unauthorized, () => SendAsync(HttpMethod.Post, $"/api/policies/{Existing}/amendments", """{"effectiveAt":"2024-02-01","set":{"fee":1}}""", ("X-Api-Key", "not-the-key"), anonymous: true));

    [Fact]
    public Task Malformed_json_is_400() =>
        AssertRejectedAsync(HttpStatusCode.BadRequest, () => SendAsync(HttpMethod.Post, "/api/policies", """{"id": "us-broken", "kind": """));

    [Fact]
    public Task A_body_over_the_limit_is_413() =>
        AssertRejectedAsync(HttpStatusCode.RequestEntityTooLarge, () => SendAsync(HttpMethod.Post, "/api/policies", $$"""{"id":"us-huge","title":"{{new string('x', 2 * 1024 * 1024)}}"}"""));

    [Fact]
    public Task A_body_that_is_not_json_is_415() =>
        AssertRejectedAsync(HttpStatusCode.UnsupportedMediaType, () => App.Writer.PostAsync("/api/policies", new StringContent("id=us-form", Encoding.UTF8, "application/x-www-form-urlencoded"), TestContext.Current.CancellationToken));

    [Fact]
    public async Task The_same_idempotency_key_with_another_body_is_409()
    {
        using var first = await SendAsync(HttpMethod.Post, $"/api/policies/{Existing}/amendments", """{"effectiveAt":"2024-03-01","set":{"fee":3}}""", ("Idempotency-Key", "reused-key"));
        if (first.StatusCode != HttpStatusCode.OK)
        {
            Assert.Fail($"the first write should succeed: {await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        }

        await AssertRejectedAsync(HttpStatusCode.Conflict, () => SendAsync(HttpMethod.Post, $"/api/policies/{Existing}/amendments", """{"effectiveAt":"2024-03-01","set":{"fee":4}}""", ("Idempotency-Key", "reused-key")));
    }

    private async Task AssertRejectedAsync(HttpStatusCode expected, Func<Task<HttpResponseMessage>> write, string? detailMentions = null)
    {
        var before = await App.CountAsync();

        using var response = await write();

        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (detailMentions is not null)
        {
            Assert.Contains(detailMentions, body, StringComparison.Ordinal);
        }

        Assert.Equal(before, await App.CountAsync());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string json, (string Name, string Value)? header = null, bool anonymous = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (header is { } h)
        {
            request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        }

        return await (anonymous ? App.Anonymous : App.Writer).SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<Guid> FirstEventIdAsync(string id)
    {
        var history = await App.Writer.GetJsonAsync($"/api/policies/{id}/history");
        return history.GetProperty("events")[0].GetProperty("eventId").GetGuid();
    }
}
