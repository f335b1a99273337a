using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Timeline.Api.Database;
using Timeline.Api.Http;
using Timeline.Api.ReadModel;
using Timeline.Domain.Decisions;

namespace Timeline.Api.History;

/// <summary>One event of an instrument's stream, with both clocks and who recorded it.</summary>
public sealed record HistoryEvent(
    Guid EventId,
    long Sequence,
    long Version,
    string Type,
    DateTimeOffset? EffectiveAt,
    DateTimeOffset RecordedAt,
    JsonElement Data,
    string? RecordedBy,
    string? CorrelationId,
    string? CausationId,
    string? Hash);

/// <summary>An instrument's events in record order.</summary>
public sealed record HistoryResponse(string Id, DateTimeOffset AsOf, IReadOnlyList<HistoryEvent> Events);

/// <summary>Every event of one instrument as the log holds it: nothing folded, nothing corrected away.</summary>
public static class HistoryApi
{
    public static RouteGroupBuilder MapHistory(this RouteGroupBuilder reads)
    {
        ArgumentNullException.ThrowIfNull(reads);
        reads.MapGet("/{id}/history", GetAsync)
            .WithName("GetPolicyHistory")
            .WithSummary("An instrument's events in record order, with both clocks");
        return reads;
    }

    public static async Task<Results<Ok<HistoryResponse>, ProblemHttpResult>> GetAsync(
        string id,
        [Description("Record time: only events recorded by then. Default now.")] string? asOf,
        ReadConnections reads,
        ReadClock readClock,
        ReadModelTables tables,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var (scope, problem) = await ReadScope.BeginAsync(reads, readClock, null, asOf, new FieldErrors(), cancellationToken, policyId: id);
        if (scope is null)
        {
            return problem!;
        }

        await using var read = scope;
        var (connection, times) = (read.Connection, read.Times);

        await using var command = new NpgsqlCommand($"""
            select e.id, e.seq_id, e.version, e.type, e."timestamp", e.data::text, e.user_name, e.correlation_id, e.causation_id, c.hash
            from {tables.Schema}.mt_events e left join {tables.Schema}.audit_chain c on c.seq_id = e.seq_id
            where e.stream_id = @id and e."timestamp" <= @as_of
            order by e.version
            """, connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("as_of", times.AsOf);
        var events = new List<HistoryEvent>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                using var data = JsonDocument.Parse(reader.GetString(5));
                var effectiveAt = data.RootElement.TryGetProperty("effectiveAt", out var effective) ? effective.GetDateTimeOffset() : (DateTimeOffset?)null;
                events.Add(new HistoryEvent(
                    reader.GetGuid(0),
                    reader.GetInt64(1),
                    reader.GetInt64(2),
                    reader.GetString(3),
                    effectiveAt,
                    await reader.GetFieldValueAsync<DateTimeOffset>(4, cancellationToken),
                    data.RootElement.Clone(),
                    await reader.GetStringOrNullAsync(6, cancellationToken),
                    await reader.GetStringOrNullAsync(7, cancellationToken),
                    await reader.GetStringOrNullAsync(8, cancellationToken),
                    await reader.GetStringOrNullAsync(9, cancellationToken)));
            }
        }

        return events.Count == 0
            ? Problems.UnknownAsOf(id, times.AsOf)
            : TypedResults.Ok(new HistoryResponse(id, times.AsOf, events));
    }
}
