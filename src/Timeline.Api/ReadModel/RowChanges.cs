namespace Timeline.Api.ReadModel;

/// <summary>A version row: an instrument's state (UTF-8 JSON) over [ValidFrom, ValidTo), recorded over [RecordedFrom, RecordedTo).</summary>
internal sealed record VersionRow(
    string PolicyId,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ValidTo,
    DateTimeOffset RecordedFrom,
    string Status,
    string Kind,
    string Jurisdiction,
    string[] Topics,
    byte[] State)
{
    public DateTimeOffset? RecordedTo { get; set; }

    /// <summary>
    /// Two rows of one instrument in the order of <c>ix_policy_versions_bounds</c> (a missing effective start first, a
    /// missing effective or record end last; no two rows agree on all four): a rebuild copies each stream's rows in
    /// this order, so the index builds read the rows as they sort them.
    /// </summary>
    public static int CompareBounds(VersionRow x, VersionRow y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var order = (x.ValidFrom ?? DateTimeOffset.MinValue).CompareTo(y.ValidFrom ?? DateTimeOffset.MinValue);
        order = order != 0 ? order : (x.ValidTo ?? DateTimeOffset.MaxValue).CompareTo(y.ValidTo ?? DateTimeOffset.MaxValue);
        order = order != 0 ? order : x.RecordedFrom.CompareTo(y.RecordedFrom);
        return order != 0 ? order : (x.RecordedTo ?? DateTimeOffset.MaxValue).CompareTo(y.RecordedTo ?? DateTimeOffset.MaxValue);
    }
}

/// <summary>A change row: one change effective at one time, recorded over [RecordedFrom, RecordedTo).</summary>
internal sealed record ChangeRow(
    string PolicyId,
    string ChangeKey,
    Guid? EventId,
    long? Version,
    string Type,
    DateTimeOffset EffectiveAt,
    DateTimeOffset RecordedFrom,
    string Summary,
    string? Citation,
    string? SourceUrl,
    string Kind,
    string Jurisdiction,
    string[] Topics,
    string Title)
{
    public DateTimeOffset? RecordedTo { get; set; }
}

/// <summary>A row stored before the page that the page closes: matched by its key, closed at <see cref="RecordedTo"/>.</summary>
internal sealed record ClosedRow(string PolicyId, string? ChangeKey, DateTimeOffset? ValidFrom, DateTimeOffset RecordedTo);

/// <summary>
/// The row changes of one page (an append's transaction, a page of a rebuild, or whole streams in a bulk rebuild):
/// rows inserted (closed already when the page also closed them) and rows stored before the page that the page closes.
/// </summary>
internal class RowChanges
{
    private readonly Dictionary<(string PolicyId, DateTimeOffset? ValidFrom), VersionRow> _openVersions = [];
    private readonly Dictionary<(string PolicyId, string Key), ChangeRow> _openChanges = [];

    public List<VersionRow> InsertedVersions { get; } = [];

    public List<ChangeRow> InsertedChanges { get; } = [];

    public List<ClosedRow> ClosedVersions { get; } = [];

    public List<ClosedRow> ClosedChanges { get; } = [];

    /// <summary>The (topic, instrument) pairs of the inserted versions, for <c>policy_topics</c>.</summary>
    public HashSet<(string Topic, string PolicyId)> Topics { get; } = [];

    /// <summary>
    /// Takes in the rows of <paramref name="other"/>, whose instruments are none of this page's so far (rows of one
    /// instrument are gathered by one <see cref="RowChanges"/>: a later close finds the row it closes here).
    /// </summary>
    public void Add(RowChanges other)
    {
        ArgumentNullException.ThrowIfNull(other);
        InsertedVersions.AddRange(other.InsertedVersions);
        InsertedChanges.AddRange(other.InsertedChanges);
        ClosedVersions.AddRange(other.ClosedVersions);
        ClosedChanges.AddRange(other.ClosedChanges);
        Topics.UnionWith(other.Topics);
    }

    public void InsertVersion(VersionRow row)
    {
        _openVersions[(row.PolicyId, row.ValidFrom)] = row;
        InsertedVersions.Add(row);
        foreach (var topic in row.Topics)
        {
            Topics.Add((topic, row.PolicyId));
        }
    }

    public void CloseVersion(string policyId, DateTimeOffset? validFrom, DateTimeOffset recordedAt)
    {
        if (_openVersions.Remove((policyId, validFrom), out var inserted))
        {
            inserted.RecordedTo = recordedAt;
            return;
        }

        ClosedVersions.Add(new ClosedRow(policyId, null, validFrom, recordedAt));
    }

    public void InsertChange(ChangeRow row)
    {
        _openChanges[(row.PolicyId, row.ChangeKey)] = row;
        InsertedChanges.Add(row);
    }

    public void CloseChange(string policyId, string key, DateTimeOffset recordedAt)
    {
        if (_openChanges.Remove((policyId, key), out var inserted))
        {
            inserted.RecordedTo = recordedAt;
            return;
        }

        ClosedChanges.Add(new ClosedRow(policyId, key, null, recordedAt));
    }
}
