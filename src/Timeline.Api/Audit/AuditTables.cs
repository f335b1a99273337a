using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Timeline.Api.Audit;

/// <summary>
/// The audit chain: one row per event of the log, in sequence order, holding the previous hash and the
/// event's hash. Part of the log, not a read model: it is never rebuilt, only verified.
/// </summary>
public sealed class AuditTables
{
    public AuditTables(string schema)
    {
        Schema = schema;
        Chain = new Table(new PostgresqlObjectName(schema, "audit_chain", SchemaUtils.IdentifierUsage.General));
        Chain.AddColumn("seq_id", "bigint").AsPrimaryKey();
        Chain.AddColumn("event_id", "uuid").NotNull();
        Chain.AddColumn("previous_hash", "text").NotNull();
        Chain.AddColumn("hash", "text").NotNull();
        Checkpoints = new Table(new PostgresqlObjectName(schema, "audit_checkpoints", SchemaUtils.IdentifierUsage.General));
        Checkpoints.AddColumn("seq_id", "bigint").AsPrimaryKey();
        Checkpoints.AddColumn("head_hash", "text").NotNull();
        Checkpoints.AddColumn("signed_at", "timestamptz").NotNull();
        Checkpoints.AddColumn("algorithm", "text").NotNull();
        Checkpoints.AddColumn("signature", "text").NotNull();
        Checkpoints.AddColumn("public_key", "text").NotNull();
    }

    public string Schema { get; }

    public Table Chain { get; }

    /// <summary>Signed checkpoints as issued, kept for convenience; their proof is the copy the auditor holds.</summary>
    public Table Checkpoints { get; }

    public string ChainName => Chain.Identifier.QualifiedName;

    public string EventsName => $"{Schema}.mt_events";
}
