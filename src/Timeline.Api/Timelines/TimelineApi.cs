using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Timeline.Api.Http;
using Timeline.Api.ReadModel;
using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;

namespace Timeline.Api.Timelines;

/// <summary>One version of an instrument over its effective interval [validFrom, validTo); null bounds are unbounded.</summary>
public sealed record TimelineVersion(
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ValidTo,
    string Status,
    string Title,
    Provisions Provisions,
    DateTimeOffset? ExpiresAt,
    string? RescindedBy,
    string? SupersededBy,
    string? SuspensionReason,
    Confidence? Confidence,
    IReadOnlyList<string> AmendedBy);

/// <summary>An instrument's versions across all effective time, as of one record time.</summary>
public sealed record TimelineResponse(string Id, DateTimeOffset AsOf, IReadOnlyList<TimelineVersion> Versions);

/// <summary>How an instrument moved: its consecutive versions, from pending to the present and beyond.</summary>
public static class TimelineApi
{
    public static RouteGroupBuilder MapTimelines(this RouteGroupBuilder reads)
    {
        ArgumentNullException.ThrowIfNull(reads);
        reads.MapGet("/{id}/timeline", GetAsync)
            .WithName("GetPolicyTimeline")
            .WithSummary("An instrument's versions over effective time, as of a record date");
        return reads;
    }

    public static async Task<Results<Ok<TimelineResponse>, ProblemHttpResult>> GetAsync(
        string id,
        [Description("Record time: a date or an instant. Default now.")] string? asOf,
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
            select valid_from, valid_to, status, state
            from {tables.Versions.Identifier.QualifiedName}
            where policy_id = @id and {ReadModelTables.RecordedAt("@as_of")}
            order by valid_from nulls first
            """, connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("as_of", times.AsOf);
        var versions = new List<TimelineVersion>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var state = JsonSerializer.Deserialize<PolicyState>(reader.GetString(3), PolicyJson.Options)!;
                versions.Add(new TimelineVersion(
                    await reader.GetFieldValueAsync<DateTimeOffset?>(0, cancellationToken),
                    await reader.GetFieldValueAsync<DateTimeOffset?>(1, cancellationToken),
                    reader.GetString(2),
                    state.Title,
                    state.Provisions,
                    state.ExpiresAt,
                    state.RescindedBy,
                    state.SupersededBy,
                    state.SuspensionReason,
                    state.Confidence,
                    [.. state.AmendedBy]));
            }
        }

        return versions.Count == 0
            ? Problems.UnknownAsOf(id, times.AsOf)
            : TypedResults.Ok(new TimelineResponse(id, times.AsOf, versions));
    }
}
