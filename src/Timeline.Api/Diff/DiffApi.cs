using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Timeline.Api.Http;
using Timeline.Api.ReadModel;
using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;

namespace Timeline.Api.Diff;

/// <summary>One side of a comparison: an effective time as of a record time.</summary>
public sealed record DiffPoint(DateTimeOffset At, DateTimeOffset AsOf);

/// <summary>A provision whose value differs; null stands for "not there".</summary>
public sealed record ProvisionDifference(string Key, JsonElement? Before, JsonElement? After);

/// <summary>An instrument that reads differently on the two sides; a status is null where the record did not know it.</summary>
public sealed record InstrumentDifference(
    string Id,
    string Title,
    string? StatusBefore,
    string? StatusAfter,
    IReadOnlyList<ProvisionDifference> Provisions);

/// <summary>What moved between the two sides, grouped as a reader asks it.</summary>
public sealed record DiffResponse(
    DiffPoint From,
    DiffPoint To,
    IReadOnlyList<InstrumentDifference> CameIntoForce,
    IReadOnlyList<InstrumentDifference> LeftForce,
    IReadOnlyList<InstrumentDifference> ChangedProvisions,
    IReadOnlyList<InstrumentDifference> OtherStatusChanges,
    bool Truncated);

/// <summary>
/// "What changed between these dates?" and "what did we learn between these days about that date?": compares
/// the point-in-time answers at two (at, asOf) pairs, in one query over the read model.
/// </summary>
public static class DiffApi
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10_000;

    public static IEndpointRouteBuilder MapDiffApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/diff", DiffAsync)
            .WithTags("Reads")
            .WithName("DiffPolicies")
            .WithSummary("What changed between two dates, or between two record times at one date")
            .WithDescription(
                "Effective-time diff: `from` and `to` (dates mean the end of that day), as of `asOf`. " +
                "Record-time diff: `at`, between `fromAsOf` and `toAsOf`. Instruments that came into force, left force, " +
                "or read with other provisions, each with the old and new values.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public static async Task<Results<Ok<DiffResponse>, ProblemHttpResult>> DiffAsync(
        [Description("Effective-time diff: the earlier date.")] string? from,
        [Description("Effective-time diff: the later date.")] string? to,
        [Description("Effective-time diff: the record time both sides are read as of. Default now.")] string? asOf,
        [Description("Record-time diff: the effective date both sides are read at.")] string? at,
        [Description("Record-time diff: the earlier record time.")] string? fromAsOf,
        [Description("Record-time diff: the later record time. Default now.")] string? toAsOf,
        string? topic,
        string? jurisdiction,
        [Description("At most this many instruments, 1 to 10000 (default 1000).")] int? limit,
        ReadConnections reads,
        ReadClock readClock,
        ReadModelTables tables,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readClock);
        var errors = new FieldErrors();
        var recordDiff = at is not null || fromAsOf is not null || toAsOf is not null;
        if (recordDiff && (from is not null || to is not null || asOf is not null))
        {
            errors.Add("from", "give either from/to (with asOf) for a diff over effective time, or at/fromAsOf/toAsOf for a diff over record time");
        }
        else if (recordDiff ? fromAsOf is null : from is null || to is null)
        {
            errors.Add(recordDiff ? "fromAsOf" : "from", recordDiff ? "is required for a diff over record time" : "from and to are both required");
        }

        FieldRules.Filter(errors, "topic", topic, FilterKind.Topic);
        FieldRules.Filter(errors, "jurisdiction", jurisdiction, FilterKind.Jurisdiction);
        if (limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"must be between 1 and {MaxLimit}");
        }

        var earlierTime = recordDiff ? readClock.Parse(errors, "fromAsOf", fromAsOf) : readClock.Parse(errors, "from", from);
        var (scope, problem) = await ReadScope.BeginAsync(reads, readClock, recordDiff ? at : to, recordDiff ? toAsOf : asOf, errors, cancellationToken, atField: recordDiff ? "at" : "to");
        if (scope is null)
        {
            return problem!;
        }

        await using var read = scope;
        var later = new DiffPoint(read.Times.At, read.Times.AsOf);
        var earlier = recordDiff ? new DiffPoint(later.At, Min(earlierTime!.Value, later.AsOf)) : new DiffPoint(earlierTime!.Value, later.AsOf);

        if (recordDiff ? earlier.AsOf > later.AsOf : earlier.At > later.At)
        {
            return Problems.Invalid(recordDiff ? "fromAsOf" : "from", recordDiff ? "must not come after toAsOf" : "must not come after to");
        }

        var take = limit ?? DefaultLimit;
        var differences = await ReadDifferencesAsync(read.Connection, tables, earlier, later, topic, jurisdiction, take + 1, cancellationToken);
        var page = differences.Take(take).ToList();
        return TypedResults.Ok(new DiffResponse(
            earlier,
            later,
            [.. page.Where(d => d.StatusBefore != InForce && d.StatusAfter == InForce)],
            [.. page.Where(d => d.StatusBefore == InForce && d.StatusAfter != InForce)],
            [.. page.Where(d => d.Provisions.Count > 0)],
            [.. page.Where(d => d.StatusBefore != d.StatusAfter && d.StatusBefore != InForce && d.StatusAfter != InForce)],
            differences.Count > take));
    }

    private const string InForce = "in-force";

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static async Task<List<InstrumentDifference>> ReadDifferencesAsync(
        NpgsqlConnection connection, ReadModelTables tables, DiffPoint before, DiffPoint after, string? topic, string? jurisdiction, int limit, CancellationToken cancellationToken)
    {
        var filters = (topic is null ? string.Empty : " and topics @> array[@topic]") + (jurisdiction is null ? string.Empty : " and jurisdiction = @jurisdiction");
        var versions = tables.Versions.Identifier.QualifiedName;
        await using var command = new NpgsqlCommand($"""
            with before as (
              select policy_id, status, state from {versions}
              where {ReadModelTables.Holds("@at_before", "@as_of_before")}{filters}),
            after as (
              select policy_id, status, state from {versions}
              where {ReadModelTables.Holds("@at_after", "@as_of_after")}{filters})
            select coalesce(a.policy_id, b.policy_id), b.status, a.status, b.state, a.state
            from before b full join after a on a.policy_id = b.policy_id
            where b.status is distinct from a.status or (b.state::json -> 'provisions')::jsonb is distinct from (a.state::json -> 'provisions')::jsonb
            order by 1
            limit @limit
            """, connection);
        command.Parameters.AddWithValue("at_before", before.At);
        command.Parameters.AddWithValue("as_of_before", before.AsOf);
        command.Parameters.AddWithValue("at_after", after.At);
        command.Parameters.AddWithValue("as_of_after", after.AsOf);
        command.Parameters.AddWithValue("limit", limit);
        if (topic is not null)
        {
            command.Parameters.AddWithValue("topic", topic);
        }

        if (jurisdiction is not null)
        {
            command.Parameters.AddWithValue("jurisdiction", jurisdiction);
        }

        var differences = new List<InstrumentDifference>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var stateBefore = await StateAsync(reader, 3, cancellationToken);
            var stateAfter = await StateAsync(reader, 4, cancellationToken);
            differences.Add(new InstrumentDifference(
                reader.GetString(0),
                (stateAfter ?? stateBefore)!.Title,
                await reader.IsDBNullAsync(1, cancellationToken) ? null : reader.GetString(1),
                await reader.IsDBNullAsync(2, cancellationToken) ? null : reader.GetString(2),
                ProvisionDifferences(stateBefore?.Provisions ?? Provisions.Empty, stateAfter?.Provisions ?? Provisions.Empty)));
        }

        return differences;
    }

    private static async Task<PolicyState?> StateAsync(NpgsqlDataReader reader, int ordinal, CancellationToken cancellationToken) =>
        await reader.IsDBNullAsync(ordinal, cancellationToken) ? null : JsonSerializer.Deserialize<PolicyState>(reader.GetString(ordinal), PolicyJson.Options);

    private static List<ProvisionDifference> ProvisionDifferences(Provisions before, Provisions after) =>
    [
        .. before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Select(key => (Key: key, Before: before.TryGetValue(key, out var old) ? old : null, After: after.TryGetValue(key, out var now) ? now : null))
            .Where(p => !Equals(p.Before, p.After))
            .Select(p => new ProvisionDifference(p.Key, p.Before?.Json, p.After?.Json)),
    ];
}
