using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Timeline.Api.Notifications.TookEffect;

/// <summary>
/// What has been announced: one row per change and effective time, written after the broker took the announcement.
/// A restart reads it to announce, late, what was due while the service was down, and nothing twice.
/// </summary>
public sealed class AnnouncementTable
{
    public AnnouncementTable(string schema)
    {
        Table = new Table(new PostgresqlObjectName(schema, "took_effect_announcements", SchemaUtils.IdentifierUsage.General));
        Table.AddColumn("policy_id", "text").AsPrimaryKey();
        Table.AddColumn("change_key", "text").AsPrimaryKey();
        Table.AddColumn("effective_at", "timestamptz").AsPrimaryKey();
        Table.AddColumn("announcement_id", "uuid").NotNull();
        Table.AddColumn("announced_at", "timestamptz").NotNull();
    }

    public Table Table { get; }

    public string Name => Table.Identifier.QualifiedName;
}
