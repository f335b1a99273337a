using System.Text.Json;
using Npgsql;
using Timeline.Api.ReadModel;
using Timeline.Domain.Policies;
using Timeline.Domain.Timelines;

namespace Timeline.Api.Audit.Reports;

/// <summary>One change as an auditor reads it: what happened, when it applied, when it was recorded and by whom, its source and its hash.</summary>
public sealed record ReportRow(
    long Sequence,
    string PolicyId,
    string Title,
    string Type,
    DateTimeOffset? EffectiveAt,
    DateTimeOffset RecordedAt,
    string? RecordedBy,
    string Summary,
    string? Citation,
    string? SourceUrl,
    string? Hash);

/// <summary>What a report covers and what it found, with the chain's verification at the time it was made.</summary>
public sealed record AuditReport(
    string Subject,
    DateTimeOffset GeneratedAt,
    DateTimeOffset AsOf,
    VerificationResult Chain,
    IReadOnlyList<ReportRow> Rows);

/// <summary>What a report is about: one instrument, a topic, and/or an effective-time window (from, to].</summary>
public sealed record ReportScope(string? PolicyId, string? Topic, DateTimeOffset? From, DateTimeOffset? To)
{
    public string Describe() => string.Join(", ", new[]
    {
        PolicyId is null ? null : $"instrument {PolicyId}",
        Topic is null ? null : $"topic {Topic}",
        From is null && To is null ? null : $"changes effective after {Format(From)} up to {Format(To)}",
    }.OfType<string>());

    private static string Format(DateTimeOffset? value) => value is null ? "any time" : Domain.Time.Instants.Format(value.Value);
}

/// <summary>Gathers a report's rows from the log (every event, corrections included) with their hashes.</summary>
public sealed class AuditReportBuilder(AuditTables audit, ReadModelTables readModel, AuditVerifier verifier)
{
    public async Task<AuditReport> BuildAsync(NpgsqlConnection connection, ReportScope scope, DateTimeOffset asOf, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var chain = await verifier.VerifyAsync(connection, null, cancellationToken);
        var rows = new List<ReportRow>();
        await using (var command = new NpgsqlCommand($"""
            select e.seq_id, e.stream_id, e.type, e.data::text, e."timestamp", e.user_name, c.hash,
                   (select v.state::json ->> 'title' from {readModel.Versions.Identifier.QualifiedName} v
                     where v.policy_id = e.stream_id and v.recorded_to is null limit 1)
            from {audit.EventsName} e left join {audit.ChainName} c on c.seq_id = e.seq_id
            where e."timestamp" <= @as_of
              {(scope.PolicyId is null ? string.Empty : "and e.stream_id = @policy_id")}
              {(scope.Topic is null ? string.Empty : $"and e.stream_id in (select policy_id from {readModel.Versions.Identifier.QualifiedName} where topics @> array[@topic] and recorded_to is null)")}
              {(scope.From is null ? string.Empty : "and coalesce((e.data ->> 'effectiveAt')::timestamptz, e.\"timestamp\") > @from")}
              {(scope.To is null ? string.Empty : "and coalesce((e.data ->> 'effectiveAt')::timestamptz, e.\"timestamp\") <= @to")}
            order by e.seq_id
            """, connection))
        {
            command.Parameters.AddWithValue("as_of", asOf);
            AddIfSet(command, "policy_id", scope.PolicyId);
            AddIfSet(command, "topic", scope.Topic);
            AddIfSet(command, "from", scope.From);
            AddIfSet(command, "to", scope.To);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var type = reader.GetString(2);
                var data = (IPolicyEvent)JsonSerializer.Deserialize(reader.GetString(3), PolicyEventTypes.TypeNamed(type), PolicyJson.Options)!;
                var effective = data as IEffectiveEvent;
                rows.Add(new ReportRow(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    await reader.IsDBNullAsync(7, cancellationToken) ? reader.GetString(1) : reader.GetString(7),
                    type,
                    effective?.EffectiveAt,
                    await reader.GetFieldValueAsync<DateTimeOffset>(4, cancellationToken),
                    await reader.IsDBNullAsync(5, cancellationToken) ? null : reader.GetString(5),
                    data switch
                    {
                        PolicyCorrected corrected => $"Corrected event {corrected.EventId} ({string.Join(", ", corrected.Changes.FieldNames)}): {corrected.Reason}",
                        IEffectiveEvent e => ChangeSummary.Of(e),
                        _ => type,
                    },
                    effective?.Citation,
                    effective?.SourceUrl,
                    await reader.IsDBNullAsync(6, cancellationToken) ? null : reader.GetString(6)));
            }
        }

        return new AuditReport(scope.Describe(), now, asOf, chain, rows);
    }

    private static void AddIfSet(NpgsqlCommand command, string name, object? value)
    {
        if (value is not null)
        {
            command.Parameters.AddWithValue(name, value);
        }
    }
}
