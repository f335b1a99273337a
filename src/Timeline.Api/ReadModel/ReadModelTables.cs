using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Timeline.Api.ReadModel;

/// <summary>
/// The read model: two bitemporal tables the timeline projection keeps. A row holds over an
/// effective interval [valid_from, valid_to) and a record interval [recorded_from, recorded_to);
/// null bounds are unbounded. Both are disposable: a rebuild from the log gives the same rows.
/// </summary>
public sealed class ReadModelTables
{
    /// <summary>What the names of a rebuild's shadow tables, indexes and key end with (<see cref="Shadow"/>).</summary>
    public const string ShadowSuffix = "_rebuild";

    /// <summary>What the names of the tables a rebuild replaced end with until it drops them (<see cref="Retired"/>).</summary>
    public const string RetiredSuffix = "_retired";

    public ReadModelTables(string schema)
        : this(schema, suffix: string.Empty)
    {
    }

    // Every table, index and key name ends with the suffix: the shadow lives beside the tables it replaces.
    private ReadModelTables(string schema, string suffix)
    {
        Schema = schema;
        Versions = new Table(new PostgresqlObjectName(schema, "policy_versions" + suffix, SchemaUtils.IdentifierUsage.General));
        Versions.AddColumn("policy_id", "text").NotNull();
        Versions.AddColumn("valid_from", "timestamptz");
        Versions.AddColumn("valid_to", "timestamptz");
        Versions.AddColumn("recorded_from", "timestamptz").NotNull();
        Versions.AddColumn("recorded_to", "timestamptz");
        Versions.AddColumn("status", "text").NotNull();
        Versions.AddColumn("kind", "text").NotNull();
        Versions.AddColumn("jurisdiction", "text").NotNull();
        Versions.AddColumn("topics", "text[]").NotNull();
        // The state as `text`: the JSON the service wrote (canonical, compact), served back as it is. The service is its only
        // writer. As `jsonb` every insert parsed it into the binary form and every read printed it back; as `json` every
        // insert still parsed it to check it, half of PostgreSQL's time in a rebuild's COPY of the version rows
        // (docs/performance.md). The two queries that look inside a state (the diff, the audit report) cast it to `json`.
        Versions.AddColumn("state", "text").NotNull();
        // "In force at `at` as of `asOf`": both intervals' bounds behind the id, so a list walks the index in id order,
        // checks the bounds on its entries (not the table's rows) and stops after the page, and a state looks its id up.
        // A GiST index over both intervals answered by area instead, but a page then sorted every match by id (50 ms for
        // a past list at 100k events, 1 ms this way), and it was two thirds of the import's version-row insert and a
        // third of a rebuild (docs/performance.md). Unique: the guard against a row written twice (a page applied again,
        // a catch-up that copies a stream's rows twice). A unique index of its own on (id, recorded_from, valid_from)
        // guarded a little more but was a third index on the largest table, kept on every insert and close and built by
        // every rebuild, for no query.
        Versions.Indexes.Add(new IndexDefinition("ix_policy_versions_bounds" + suffix)
        {
            IsUnique = true,
            Columns = ["policy_id", EffectiveFrom, EffectiveTo, "recorded_from", RecordedTo, "status"],
        });
        // Lists as of now (the default) walk only the open rows, in id order: closed ones are most of the table. The
        // effective bounds and the status are in the key so that the rows of other times are passed over in the index,
        // without reading the table (most open rows are an instrument's other effective segments).
        Versions.Indexes.Add(new IndexDefinition("ix_policy_versions_current" + suffix)
        {
            Columns = ["policy_id", EffectiveFrom, EffectiveTo, "status"],
            Predicate = "recorded_to is null",
        });

        // Every topic an instrument has had in any version: a list filtered by topic walks this in id order and looks
        // up each candidate's rows (which still check the topic), instead of reading past seven rows in eight.
        Topics = new Table(new PostgresqlObjectName(schema, "policy_topics" + suffix, SchemaUtils.IdentifierUsage.General));
        Topics.AddColumn("topic", "text").NotNull().AsPrimaryKey();
        Topics.AddColumn("policy_id", "text").NotNull().AsPrimaryKey();
        Topics.PrimaryKeyName = "pkey_policy_topics_topic_policy_id" + suffix;

        Changes = new Table(new PostgresqlObjectName(schema, "policy_changes" + suffix, SchemaUtils.IdentifierUsage.General));
        Changes.AddColumn("policy_id", "text").NotNull();
        Changes.AddColumn("change_key", "text").NotNull();
        Changes.AddColumn("event_id", "uuid");
        Changes.AddColumn("version", "bigint");
        Changes.AddColumn("type", "text").NotNull();
        Changes.AddColumn("effective_at", "timestamptz").NotNull();
        Changes.AddColumn("recorded_from", "timestamptz").NotNull();
        Changes.AddColumn("recorded_to", "timestamptz");
        Changes.AddColumn("summary", "text").NotNull();
        Changes.AddColumn("citation", "text");
        Changes.AddColumn("source_url", "text");
        Changes.AddColumn("kind", "text").NotNull();
        Changes.AddColumn("jurisdiction", "text").NotNull();
        Changes.AddColumn("topics", "text[]").NotNull();
        Changes.AddColumn("title", "text").NotNull();
        Changes.Indexes.Add(new IndexDefinition("ix_policy_changes_effective" + suffix) { Columns = ["effective_at"] });
        Changes.Indexes.Add(new IndexDefinition("ux_policy_changes_row" + suffix)
        {
            IsUnique = true,
            Columns = ["policy_id", "change_key", "recorded_from"],
        });
    }

    /// <summary>
    /// The effective start with "since ever" as -infinity, written exactly as the indexes have it. Spelled with
    /// <c>CAST</c> because that is how the schema migration (Weasel) reads PostgreSQL's text of an index back; spelled
    /// otherwise, it finds a difference and rebuilds the index at every start.
    /// </summary>
    public static readonly string EffectiveFrom = EffectiveFromOf("valid_from");

    /// <summary><see cref="EffectiveFrom"/> of <paramref name="column"/> (a qualified <c>valid_from</c>, say), so that a
    /// join on it matches the indexes' expression.</summary>
    public static string EffectiveFromOf(string column) => $"COALESCE({column}, CAST('-infinity' as timestamp with time zone))";

    /// <summary>The effective end with "open-ended" as infinity, written as <see cref="EffectiveFrom"/> is.</summary>
    public const string EffectiveTo = "COALESCE(valid_to, CAST('infinity' as timestamp with time zone))";

    /// <summary>The record end with "still recorded" as infinity, written as <see cref="EffectiveFrom"/> is.</summary>
    public const string RecordedTo = "COALESCE(recorded_to, CAST('infinity' as timestamp with time zone))";

    /// <summary>
    /// "The row holds at effective time <paramref name="at"/> as of record time <paramref name="asOf"/>" (both SQL
    /// expressions), in the indexes' terms: each interval is [from, to), a missing bound unbounded. Stated once, as
    /// bounds: stated also as ranges, the planner took the two for independent conditions and misjudged the rows.
    /// </summary>
    public static string Holds(string at, string asOf) => $"{EffectiveFrom} <= {at} and {EffectiveTo} > {at} and {RecordedAt(asOf)}";

    /// <summary>"The row was on record at <paramref name="asOf"/>": its record interval [recorded_from, recorded_to) holds it.</summary>
    public static string RecordedAt(string asOf) => $"recorded_from <= {asOf} and {RecordedTo} > {asOf}";

    public string Schema { get; }

    /// <summary>
    /// The same tables, indexes and key under names ending with <see cref="ShadowSuffix"/>: a rebuild fills these beside
    /// the live ones while reads and writes go on, then swaps them in (<see cref="ReadModelShadow"/>).
    /// </summary>
    public ReadModelTables Shadow() => new(Schema, ShadowSuffix);

    /// <summary>
    /// The same tables, indexes and key under names ending with <see cref="RetiredSuffix"/>: a rebuild's swap renames the
    /// live ones to these and drops them after it commits (<see cref="ReadModelShadow"/>).
    /// </summary>
    public ReadModelTables Retired() => new(Schema, RetiredSuffix);

    public Table Versions { get; }

    public Table Changes { get; }

    public Table Topics { get; }

    public IEnumerable<ISchemaObject> SchemaObjects() => [Versions, Changes, Topics];

    /// <summary>Every table with its indexes (the topics' primary key is not among them).</summary>
    public IEnumerable<(Table Table, IndexDefinition Index)> Indexes() =>
        new[] { Versions, Changes }.SelectMany(table => table.Indexes.OfType<IndexDefinition>().Select(index => (table, index)));
}
