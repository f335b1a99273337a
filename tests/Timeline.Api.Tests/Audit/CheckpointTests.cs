using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Timeline.Api.Audit;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Audit;

/// <summary>
/// A checkpoint signed with a key kept outside the database exposes a later rewrite of the whole chain:
/// the rewritten log verifies on its own, but not against what was signed.
/// </summary>
public sealed class CheckpointTests(TimelineApp app) : ApiTest(app)
{
    [Fact]
    public async Task A_checkpoint_signed_before_a_full_rewrite_of_the_chain_exposes_the_rewrite()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-cp-a", "2024-01-01", ("provisions", new { fee = 100 })));
        await App.Writer.WriteAsync("/api/policies/us-cp-a/amendments", new { effectiveAt = "2024-02-01", set = new { fee = 200 } });
        using var signed = await App.Writer.PostAsync("/api/audit/checkpoints", new { });
        var checkpointJson = await signed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, signed.StatusCode);
        Assert.True((await VerifyCheckpointAsync(checkpointJson)).GetProperty("ok").GetBoolean());
        Assert.True((await OutsideVerifier.VerifyAsync(await LogAsync(), checkpointJson)).GetProperty("ok").GetBoolean());

        await RewriteEverythingAsync("update timeline.mt_events set data = jsonb_set(data, '{set,fee}', '150') where stream_id = 'us-cp-a' and version = 2");

        var service = await App.Anonymous.GetJsonAsync("/api/audit/verify");
        var checkpoint = await VerifyCheckpointAsync(checkpointJson);
        var outside = await OutsideVerifier.VerifyAsync(await LogAsync(), checkpointJson);
        Assert.True(service.GetProperty("ok").GetBoolean(), "the rewritten chain is consistent on its own");
        Assert.False(checkpoint.GetProperty("ok").GetBoolean());
        Assert.True(checkpoint.GetProperty("signatureValid").GetBoolean());
        Assert.False(checkpoint.GetProperty("chainAgrees").GetBoolean());
        Assert.False(outside.GetProperty("ok").GetBoolean());
        Assert.False(outside.GetProperty("checkpoint").GetProperty("matches").GetBoolean());
    }

    [Fact]
    public async Task A_checkpoint_whose_signature_was_altered_is_refused()
    {
        await App.Writer.WriteAsync("/api/policies", Issue("us-cp-b", "2024-01-01"));
        using var signed = await App.Writer.PostAsync("/api/audit/checkpoints", new { });
        var checkpoint = await signed.ReadJsonAsync();
        var forged = System.Text.Json.Nodes.JsonNode.Parse(checkpoint.GetRawText())!;
        forged["signedAt"] = "2030-01-01T00:00:00.000000Z";

        var result = await VerifyCheckpointAsync(forged.ToJsonString());

        Assert.False(result.GetProperty("signatureValid").GetBoolean());
        Assert.False(result.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Signing_a_checkpoint_needs_the_write_key()
    {
        using var response = await App.Anonymous.PostAsync("/api/audit/checkpoints", new { });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>What an attacker with the database but not the key can do: change an event and recompute every hash after it.</summary>
    private async Task RewriteEverythingAsync(string change)
    {
        await Sql.ExecuteAsync(App.ConnectionString, change + "; delete from timeline.audit_chain");
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await App.Services.GetRequiredService<AuditChain>().ExtendAsync(connection, transaction, long.MaxValue, TestContext.Current.CancellationToken);
        await transaction.CommitAsync(TestContext.Current.CancellationToken);
    }

    private async Task<System.Text.Json.JsonElement> VerifyCheckpointAsync(string checkpointJson)
    {
        using var content = new StringContent(checkpointJson, System.Text.Encoding.UTF8, "application/json");
        using var response = await App.Anonymous.PostAsync("/api/audit/checkpoints/verify", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private async Task<string> LogAsync() => await App.Anonymous.GetStringAsync("/api/audit/log", TestContext.Current.CancellationToken);
}
