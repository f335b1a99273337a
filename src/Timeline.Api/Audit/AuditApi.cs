using System.Buffers;
using System.ComponentModel;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Timeline.Api.Auth;
using Timeline.Api.Http;
using Timeline.Domain.Decisions;

namespace Timeline.Api.Audit;

/// <summary>The outcome of checking a checkpoint against this service's key and the log as it is now.</summary>
public sealed record CheckpointVerification(bool Ok, bool SignatureValid, bool ChainAgrees, string? HashAtSequence, string? Reason);

/// <summary>"Can we trust the record?": the whole log with both clocks and its hash chain, its verification, and signed checkpoints.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit");
        audit.MapGet("/log", StreamLogAsync)
            .WithName("GetAuditLog")
            .WithSummary("The whole log in record order as NDJSON, with each event's hash")
            .Produces(StatusCodes.Status200OK, contentType: "application/x-ndjson");
        audit.MapGet("/verify", VerifyAsync)
            .WithName("VerifyAuditChain")
            .WithSummary("Recompute the hash chain: ok with the head hash, or the first sequence that does not verify");
        audit.MapPost("/checkpoints", SignCheckpointAsync)
            .WithName("SignAuditCheckpoint")
            .WithSummary("Sign the current head hash with the key kept outside the database")
            .RequireAuthorization(AuthSetup.WritePolicy)
            .RequireRateLimiting(Security.WriteRateLimiting.PolicyName)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        audit.MapPost("/checkpoints/verify", VerifyCheckpointAsync)
            .WithName("VerifyAuditCheckpoint")
            .WithSummary("Check a published checkpoint against this service's key and the log as it is now");
        return app;
    }

    /// <summary>Streams one line per event, straight from the database cursor to the response: constant memory whatever the size of the log.</summary>
    public static async Task StreamLogAsync(
        [Description("Record time: only events recorded by then. Default now.")] string? asOf,
        HttpContext http,
        ReadConnections reads,
        ReadClock readClock,
        AuditLogReader log)
    {
        ArgumentNullException.ThrowIfNull(http);
        var cancellationToken = http.RequestAborted;
        var (scope, problem) = await ReadScope.BeginAsync(reads, readClock, null, asOf, new FieldErrors(), cancellationToken);
        if (scope is null)
        {
            await problem!.ExecuteAsync(http);
            return;
        }

        await using var read = scope;
        http.Response.ContentType = "application/x-ndjson";
        http.Response.Headers["X-Timeline-As-Of"] = Domain.Time.Instants.Format(read.Times.AsOf);
        // Readable UTF-8 rather than \u escapes: the log is for people and scripts, never embedded in HTML.
        await using var writer = new Utf8JsonWriter(http.Response.BodyWriter, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var lines = 0;
        await foreach (var stored in log.ReadAsync(read.Connection, null, long.MinValue, long.MaxValue, read.Times.AsOf, cancellationToken))
        {
            AuditLine.Write(writer, stored);
#pragma warning disable VSTHRD103 // a writer over the response buffer only advances it: no I/O to wait for
            writer.Flush();
#pragma warning restore VSTHRD103
            writer.Reset();
            http.Response.BodyWriter.Write("\n"u8);
            if (++lines % 512 == 0)
            {
                await http.Response.BodyWriter.FlushAsync(cancellationToken);
            }
        }

        await http.Response.BodyWriter.FlushAsync(cancellationToken);
    }

    public static async Task<Ok<VerificationResult>> VerifyAsync(NpgsqlDataSource dataSource, AuditVerifier verifier, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await verifier.VerifyAsync(connection, null, cancellationToken));
    }

    public static async Task<Results<Created<AuditCheckpoint>, ProblemHttpResult>> SignCheckpointAsync(
        NpgsqlDataSource dataSource, AuditVerifier verifier, CheckpointSigner signer, CheckpointStore checkpoints, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!signer.CanSign)
        {
            return TypedResults.Problem(
                $"No audit signing key: set {CheckpointSigner.KeyFileSetting} to a PEM file with an ECDSA P-256 private key (openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt).",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Checkpoints are not configured",
                type: Problems.TypeFor(StatusCodes.Status503ServiceUnavailable));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var verified = await verifier.VerifyAsync(connection, null, cancellationToken);
        if (!verified.Ok)
        {
            return Problems.From(Rejection.Conflict(
                $"The chain does not verify at sequence {verified.FirstFailedSequence} ({verified.Reason}); a checkpoint would certify a broken log."));
        }

        var checkpoint = signer.Sign(verified.HeadSequence, verified.HeadHash, clock.GetUtcNow());
        await checkpoints.SaveAsync(connection, checkpoint, cancellationToken);
        return TypedResults.Created($"/api/audit/checkpoints/{checkpoint.Sequence}", checkpoint);
    }

    public static async Task<Ok<CheckpointVerification>> VerifyCheckpointAsync(
        AuditCheckpoint checkpoint, NpgsqlDataSource dataSource, AuditVerifier verifier, CheckpointSigner signer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var signatureValid = signer.IsSignedByUs(checkpoint);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var recomputed = await verifier.VerifyAsync(connection, checkpoint.Sequence, cancellationToken);
        var chainAgrees = recomputed.Ok && recomputed.HeadSequence == checkpoint.Sequence && recomputed.HeadHash == checkpoint.HeadHash;
        var reason = (signatureValid, chainAgrees) switch
        {
            (true, true) => null,
            (false, _) => "the signature is not this service's: the checkpoint was not issued here, or was altered",
            (_, false) when !recomputed.Ok => $"the log does not verify at sequence {recomputed.FirstFailedSequence}: {recomputed.Reason}",
            _ => $"recomputed from the log, the hash at sequence {checkpoint.Sequence} is {recomputed.HeadHash}, not the signed {checkpoint.HeadHash}: the log was rewritten since",
        };
        return TypedResults.Ok(new CheckpointVerification(signatureValid && chainAgrees, signatureValid, chainAgrees, recomputed.HeadHash, reason));
    }
}
