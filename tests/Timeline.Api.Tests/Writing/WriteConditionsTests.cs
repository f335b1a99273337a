using System.Net;
using System.Net.Http.Json;
using System.Text;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Writing;

/// <summary>Idempotency-Key, If-Match and the metadata every write records.</summary>
public sealed class WriteConditionsTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task A_repeat_with_the_same_idempotency_key_and_body_answers_as_the_first_time_and_writes_nothing()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-idempotent", "2024-01-01"));
        const string body = """{"effectiveAt":"2024-02-01","set":{"fee":5}}""";
        const string sameBodyOtherLayout = """{ "set": { "fee": 5 }, "effectiveAt": "2024-02-01" }""";

        using var first = await PostAsync("/api/policies/us-idempotent/amendments", body, ("Idempotency-Key", "amend-1"));
        var countsAfterFirst = await App.CountAsync();
        using var repeat = await PostAsync("/api/policies/us-idempotent/amendments", sameBodyOtherLayout, ("Idempotency-Key", "amend-1"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), await repeat.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("true", repeat.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(countsAfterFirst, await App.CountAsync());
    }

    [Fact]
    public async Task If_match_with_the_current_version_succeeds_and_the_answer_carries_the_next_one()
    {
        var issued = await App.Writer.WriteAsync("/api/policies", Issue("us-versioned", "2024-01-01"));
        var read = await App.Writer.GetAsync("/api/policies/us-versioned", TestContext.Current.CancellationToken);
        Assert.Equal($"\"{issued.Version}\"", read.Headers.ETag?.Tag);

        using var response = await PostAsync("/api/policies/us-versioned/suspensions", """{"effectiveAt":"2024-03-01","reason":"stay"}""", ("If-Match", read.Headers.ETag!.Tag));

        var answer = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(issued.Version + 1, answer.GetProperty("version").GetInt64());
        Assert.Equal($"\"{issued.Version + 1}\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Each_event_records_who_wrote_it_the_correlation_id_and_what_caused_it()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-caused", "2024-01-01"));
        using var response = await PostAsync("/api/policies", """{"id":"us-causing","kind":"rule","title":"Revocation","jurisdiction":"US","topics":["ai"],"effectiveAt":"2024-06-01","rescinds":["us-caused"]}""", ("X-Correlation-Id", "ticket-4711"));
        var written = await response.ReadJsonAsync();
        var issueEventId = written.GetProperty("eventIds")[0].GetGuid();

        var causing = (await App.Writer.GetJsonAsync("/api/policies/us-causing/history")).GetProperty("events")[0];
        var rescission = (await App.Writer.GetJsonAsync("/api/policies/us-caused/history")).GetProperty("events")[1];

        Assert.Equal(TimelineApp.KeyName, causing.Text("recordedBy"));
        Assert.Equal("ticket-4711", causing.Text("correlationId"));
        Assert.Equal("rescinded", rescission.Text("type"));
        Assert.Equal("ticket-4711", rescission.Text("correlationId"));
        Assert.Equal(issueEventId.ToString(), rescission.Text("causationId"));
        Assert.Equal(causing.GetProperty("recordedAt").GetDateTimeOffset(), rescission.GetProperty("recordedAt").GetDateTimeOffset());
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string json, (string Name, string Value) header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        return await App.Writer.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
