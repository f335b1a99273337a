using Npgsql;
using Timeline.Api.Database;
using Timeline.Api.ReadModel;

namespace Timeline.Api.Notifications.TookEffect;

/// <summary>A change whose effective time has come and that is not announced yet, as the read model holds it now.</summary>
public sealed record DueChange(
    string PolicyId,
    string ChangeKey,
    Guid? EventId,
    string Type,
    DateTimeOffset EffectiveAt,
    string Summary,
    string? Citation,
    string Kind,
    string Jurisdiction,
    IReadOnlyList<string> Topics,
    string Title);

/// <summary>
/// The took-effect schedule, read from the read model (<c>policy_changes</c>). A change (its row key) at an effective
/// time is announced once the time has come if the record ever held it as pending, i.e. some version of its row was
/// recorded before that effective time, and the record still holds it at that time now. So a correction that moves a
/// pending change reschedules it (a new effective time); one that moves it into the past (recorded after it) or
/// removes it cancels it; a correction of other fields (topics, title) keeps the announcement.
/// </summary>
public sealed class DueChanges(ReadModelTables tables, AnnouncementTable announcements)
{
    private readonly string _recordedInAdvance = $"""
        exists (select 1 from {tables.Changes.Identifier.QualifiedName} p
                where p.policy_id = c.policy_id and p.change_key = c.change_key and p.effective_at = c.effective_at
                  and p.recorded_from < p.effective_at)
        """;

    /// <summary>Up to <paramref name="limit"/> changes due at <paramref name="now"/>, oldest effective time first.</summary>
    public async Task<IReadOnlyList<DueChange>> DueAsync(NpgsqlConnection connection, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            select c.policy_id, c.change_key, c.event_id, c.type, c.effective_at, c.summary, c.citation, c.kind, c.jurisdiction, c.topics, c.title
            from {tables.Changes.Identifier.QualifiedName} c
            where c.recorded_to is null and c.effective_at <= @now and {_recordedInAdvance}
              and not exists (select 1 from {announcements.Name} a
                              where a.policy_id = c.policy_id and a.change_key = c.change_key and a.effective_at = c.effective_at)
            order by c.effective_at, c.policy_id, c.version nulls last
            limit @limit
            """, connection);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("limit", limit);
        var due = new List<DueChange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new DueChange(
                reader.GetString(0),
                reader.GetString(1),
                await reader.GetFieldValueAsync<Guid?>(2, cancellationToken),
                reader.GetString(3),
                await reader.GetFieldValueAsync<DateTimeOffset>(4, cancellationToken),
                reader.GetString(5),
                await reader.GetStringOrNullAsync(6, cancellationToken),
                reader.GetString(7),
                reader.GetString(8),
                await reader.GetFieldValueAsync<string[]>(9, cancellationToken),
                reader.GetString(10)));
        }

        return due;
    }

    /// <summary>The next effective time after <paramref name="now"/> at which something will be due, if any.</summary>
    public async Task<DateTimeOffset?> NextAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            select min(c.effective_at) from {tables.Changes.Identifier.QualifiedName} c
            where c.recorded_to is null and c.effective_at > @now and {_recordedInAdvance}
            """, connection);
        command.Parameters.AddWithValue("now", now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return await reader.GetFieldValueAsync<DateTimeOffset?>(0, cancellationToken);
    }

    /// <summary>Records an announcement the broker has taken; a second record of the same one changes nothing.</summary>
    public async Task RecordAsync(NpgsqlConnection connection, DueChange change, Guid announcementId, DateTimeOffset announcedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var command = new NpgsqlCommand($"""
            insert into {announcements.Name} (policy_id, change_key, effective_at, announcement_id, announced_at)
            values (@policy_id, @change_key, @effective_at, @announcement_id, @announced_at)
            on conflict do nothing
            """, connection);
        command.Parameters.AddWithValue("policy_id", change.PolicyId);
        command.Parameters.AddWithValue("change_key", change.ChangeKey);
        command.Parameters.AddWithValue("effective_at", change.EffectiveAt);
        command.Parameters.AddWithValue("announcement_id", announcementId);
        command.Parameters.AddWithValue("announced_at", announcedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
