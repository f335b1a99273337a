using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Timeline.Api.Http;
using Timeline.Api.ReadModel;
using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;

namespace Timeline.Api.PointInTime;

/// <summary>"Which rule applied on the day we shipped, and what did our system say at the time?"</summary>
public static class PointInTimeApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    private static readonly string[] Statuses = ["any", .. Enum.GetValues<PolicyStatus>().Select(ReadModelWriter.StatusName)];

    public static RouteGroupBuilder MapPointInTime(this RouteGroupBuilder reads)
    {
        ArgumentNullException.ThrowIfNull(reads);
        reads.MapGet("/", ListAsync)
            .WithName("ListPolicies")
            .WithSummary("Instruments at a date, as of a record date")
            .WithDescription("Lists the instruments with the given status (default in-force) at effective time `at`, as the record stood at `asOf`.");
        reads.MapGet("/{id}", GetAsync)
            .WithName("GetPolicy")
            .WithSummary("One instrument at a date, as of a record date");
        return reads;
    }

    public static async Task<Results<Ok<PolicyListResponse>, ProblemHttpResult>> ListAsync(
        [Description("Effective time: a date (end of that day, legal time zone) or an RFC 3339 instant. Default now.")] string? at,
        [Description("Record time: a date or an instant. Default now.")] string? asOf,
        [Description("in-force (default), pending, suspended, rescinded, superseded, expired, or any.")] string? status,
        string? topic,
        [Description("executive-order, proclamation, rule, statute, guidance, license-policy or other.")] string? kind,
        string? jurisdiction,
        [Description($"Page size, 1 to 1000 (default 100).")] int? limit,
        [Description("nextCursor of the previous page.")] string? cursor,
        ReadConnections reads,
        ReadClock readClock,
        PointInTimeQueries queries,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var statusFilter = status ?? "in-force";
        if (!Statuses.Contains(statusFilter))
        {
            errors.Add("status", "must be one of " + string.Join(", ", Statuses));
        }

        if (kind is not null)
        {
            FieldRules.Kind(errors, "kind", kind);
        }

        FieldRules.Filter(errors, "topic", topic, FilterKind.Topic);
        FieldRules.Filter(errors, "jurisdiction", jurisdiction, FilterKind.Jurisdiction);
        FieldRules.Filter(errors, "cursor", cursor, FilterKind.PolicyId);
        if (limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"must be between 1 and {MaxLimit}");
        }

        // As of now and without a topic, the list is one query, settled in the same round trip; otherwise its
        // queries run in a transaction that holds the append lock from the settled now on.
        var oneQuery = asOf is null && topic is null;
        var (scope, problem) = await ReadScope.BeginAsync(reads, readClock, at, asOf, errors, cancellationToken, holdNow: !oneQuery, settleWithQuery: oneQuery);
        if (scope is null)
        {
            return problem!;
        }

        await using var read = scope;
        var filter = new PolicyFilter(statusFilter == "any" ? null : statusFilter, topic, kind, jurisdiction, cursor, limit ?? DefaultLimit);
        var (items, next) = oneQuery
            ? await queries.ListNowAsync(read, filter, cancellationToken)
            : await queries.ListAsync(read.Connection, read.Times.At, read.Times.AsOf, filter, cancellationToken, read.Times.AsOfIsSettledNow);
        return TypedResults.Ok(new PolicyListResponse(read.Times.At, read.Times.AsOf, items, next));
    }

    public static async Task<Results<Ok<PolicyAtResponse>, ProblemHttpResult>> GetAsync(
        string id,
        [Description("Effective time: a date (end of that day, legal time zone) or an RFC 3339 instant. Default now.")] string? at,
        [Description("Record time: a date or an instant. Default now.")] string? asOf,
        HttpContext http,
        ReadConnections reads,
        ReadClock readClock,
        PointInTimeQueries queries,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var (scope, problem) = await ReadScope.BeginAsync(reads, readClock, at, asOf, new FieldErrors(), cancellationToken, policyId: id, settleWithQuery: true);
        if (scope is null)
        {
            return problem!;
        }

        await using var read = scope;
        var policy = await queries.GetAsync(read, id, cancellationToken);
        var times = read.Times;
        if (policy is null)
        {
            return Problems.UnknownAsOf(id, times.AsOf);
        }

        policy.At = times.At;
        policy.AsOf = times.AsOf;
        http.Response.Headers.ETag = $"\"{policy.Version}\"";
        return TypedResults.Ok(policy);
    }
}
