using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Timeline.Api.Database;
using Timeline.Api.Http;
using Timeline.Api.ReadModel;
using Timeline.Domain.Decisions;

namespace Timeline.Api.Changes;

/// <summary>A change effective in the window: a recorded event, or an expiry reached (no eventId).</summary>
public sealed record ChangeItem(
    string PolicyId,
    string Title,
    string Type,
    DateTimeOffset EffectiveAt,
    Guid? EventId,
    long? Version,
    string Summary,
    string? Citation,
    string? SourceUrl,
    IReadOnlyList<string> Topics,
    string Jurisdiction);

/// <summary>The changes effective in (from, to], as the record stood at asOf.</summary>
public sealed record ChangesResponse(DateTimeOffset From, DateTimeOffset To, DateTimeOffset AsOf, IReadOnlyList<ChangeItem> Items, bool Truncated);

/// <summary>How policy moved between two dates: every change effective in between, corrections applied as of the record time.</summary>
public static class ChangesApi
{
    public const int DefaultDays = 30;
    public const int DefaultLimit = 500;
    public const int MaxLimit = 5000;

    public static IEndpointRouteBuilder MapChanges(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/changes", ListAsync)
            .WithTags("Reads")
            .WithName("ListChanges")
            .WithSummary("Changes effective between two dates, as of a record date");
        return app;
    }

    public static async Task<Results<Ok<ChangesResponse>, ProblemHttpResult>> ListAsync(
        [Description("Exclusive start: a date (end of that day, legal time zone) or an instant. Default 30 days before `to`.")] string? from,
        [Description("Inclusive end: a date (end of that day) or an instant. Default now.")] string? to,
        [Description("Record time: a date or an instant. Default now.")] string? asOf,
        string? topic,
        string? jurisdiction,
        [Description("At most this many changes, 1 to 5000 (default 500).")] int? limit,
        ReadConnections reads,
        ReadClock readClock,
        ReadModelTables tables,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readClock);
        ArgumentNullException.ThrowIfNull(tables);
        var errors = new FieldErrors();
        var start = readClock.Parse(errors, "from", from);
        FieldRules.Filter(errors, "topic", topic, FilterKind.Topic);
        FieldRules.Filter(errors, "jurisdiction", jurisdiction, FilterKind.Jurisdiction);
        if (limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"must be between 1 and {MaxLimit}");
        }

        var (scope, problem) = await ReadScope.BeginAsync(reads, readClock, to, asOf, errors, cancellationToken, atField: "to");
        if (scope is null)
        {
            return problem!;
        }

        await using var read = scope;
        var (connection, times) = (read.Connection, read.Times);

        var end = times.At;
        var begin = start ?? end.AddDays(-DefaultDays);
        if (begin >= end)
        {
            return Problems.Invalid("from", "must come before to");
        }

        var take = limit ?? DefaultLimit;
        await using var command = new NpgsqlCommand($"""
            select policy_id, title, type, effective_at, event_id, version, summary, citation, source_url, topics, jurisdiction
            from {tables.Changes.Identifier.QualifiedName}
            where effective_at > @from and effective_at <= @to and {ReadModelTables.RecordedAt("@as_of")}
            {(topic is null ? string.Empty : "and topics @> array[@topic]")}
            {(jurisdiction is null ? string.Empty : "and jurisdiction = @jurisdiction")}
            order by effective_at, policy_id, version nulls last
            limit @limit
            """, connection);
        command.Parameters.AddWithValue("from", begin);
        command.Parameters.AddWithValue("to", end);
        command.Parameters.AddWithValue("as_of", times.AsOf);
        command.Parameters.AddWithValue("limit", take + 1);
        if (topic is not null)
        {
            command.Parameters.AddWithValue("topic", topic);
        }

        if (jurisdiction is not null)
        {
            command.Parameters.AddWithValue("jurisdiction", jurisdiction);
        }

        var items = new List<ChangeItem>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new ChangeItem(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    await reader.GetFieldValueAsync<DateTimeOffset>(3, cancellationToken),
                    await reader.GetFieldValueAsync<Guid?>(4, cancellationToken),
                    await reader.GetFieldValueAsync<long?>(5, cancellationToken),
                    reader.GetString(6),
                    await reader.GetStringOrNullAsync(7, cancellationToken),
                    await reader.GetStringOrNullAsync(8, cancellationToken),
                    await reader.GetFieldValueAsync<string[]>(9, cancellationToken),
                    reader.GetString(10)));
            }
        }

        var truncated = items.Count > take;
        return TypedResults.Ok(new ChangesResponse(begin, end, times.AsOf, truncated ? items[..take] : items, truncated));
    }
}
