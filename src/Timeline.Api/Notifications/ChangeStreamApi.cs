using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using Timeline.Api.Database;
using Timeline.Api.Http;
using Timeline.Domain.Decisions;

namespace Timeline.Api.Notifications;

/// <summary>
/// <c>GET /api/changes/stream</c>: server-sent events, one per recorded change, read from the log by global
/// sequence (not from the bus, whose in-memory messages die with the process). The event id is the sequence,
/// so a client that reconnects with <c>Last-Event-ID</c> gets every change after it, exactly once.
/// </summary>
public static class ChangeStreamApi
{
    public const string LastEventIdHeader = "Last-Event-ID";

    public static IEndpointRouteBuilder MapChangeStream(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/changes/stream", Open)
            .WithTags("Reads")
            .WithName("StreamChanges")
            .WithSummary("Every recorded change as it is recorded, as server-sent events")
            .WithDescription(
                "Each event is `event: policy-changed`, `id: <global sequence>` and a PolicyChanged as JSON. The stream starts "
                + "after the newest change, or after the sequence in Last-Event-ID (or `lastEventId`), so a reconnecting client misses nothing.")
            .Produces(StatusCodes.Status200OK, contentType: ServerSentChanges.ContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public static async Task<Results<ServerSentChanges, ProblemHttpResult>> Open(
        [Description("Only changes of instruments with this topic.")] string? topic,
        [Description("Only changes of instruments in this jurisdiction.")] string? jurisdiction,
        [Description("Resume after this global sequence, for clients that cannot send Last-Event-ID.")] string? lastEventId,
        [Microsoft.AspNetCore.Mvc.FromHeader(Name = LastEventIdHeader)] string? lastEventIdHeader,
        NpgsqlDataSource dataSource,
        TimelineStoreOptions store,
        ChangeStreamSource source,
        IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(json);
        var errors = new FieldErrors();
        FieldRules.Filter(errors, "topic", topic, FilterKind.Topic);
        FieldRules.Filter(errors, "jurisdiction", jurisdiction, FilterKind.Jurisdiction);
        long? after = null;
        if ((lastEventIdHeader ?? lastEventId) is { } resume)
        {
            if (long.TryParse(resume, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                after = sequence;
            }
            else
            {
                errors.Add(lastEventIdHeader is null ? "lastEventId" : LastEventIdHeader, "must be the id of an event of this stream (a global sequence number)");
            }
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        // "From now": after the newest change committed; anything committing later has a higher sequence.
        if (after is null)
        {
            await using var newest = dataSource.CreateCommand($"select coalesce(max(seq_id), 0) from {store.Schema}.mt_events");
            after = (long)(await newest.ExecuteScalarAsync(cancellationToken))!;
        }

        return new ServerSentChanges(source, after.Value, topic, jurisdiction, json.Value.SerializerOptions);
    }
}
