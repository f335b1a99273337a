namespace Timeline.Domain.Policies;

/// <summary>
/// What an instrument says and where it stands after the events effective up to some time.
/// <see cref="Status"/> is the folded status; <see cref="StatusAt"/> adds the passage of time (expiry).
/// </summary>
public sealed record PolicyState(
    string PolicyId,
    PolicyKind Kind,
    string Title,
    string Jurisdiction,
    string TimeZone,
    EquatableArray<string> Topics,
    DateTimeOffset EffectiveAt,
    Provisions Provisions,
    PolicyStatus Status,
    string? Authority = null,
    DateOnly? SignedOn = null,
    DateOnly? PublishedOn = null,
    DateTimeOffset? ExpiresAt = null,
    string? Citation = null,
    string? SourceUrl = null,
    string? RescindedBy = null,
    string? SupersededBy = null,
    string? SuspensionReason = null,
    DateOnly? PublicKnowledgeOn = null,
    Confidence? Confidence = null,
    EquatableArray<string> AmendedBy = default)
{
    /// <summary>The state an instrument starts in on its effective time.</summary>
    public static PolicyState Create(PolicyIssued issued)
    {
        ArgumentNullException.ThrowIfNull(issued);
        return new(
            issued.PolicyId,
            issued.Kind,
            issued.Title,
            issued.Jurisdiction,
            issued.TimeZone,
            issued.Topics,
            issued.EffectiveAt,
            issued.Provisions,
            PolicyStatus.InForce,
            issued.Authority,
            issued.SignedOn,
            issued.PublishedOn,
            issued.ExpiresAt,
            issued.Citation,
            issued.SourceUrl,
            PublicKnowledgeOn: issued.PublicKnowledgeOn,
            Confidence: issued.Confidence);
    }

    /// <summary>Whether the instrument has ended by being rescinded or superseded; nothing revives it.</summary>
    public bool IsRevoked => Status is PolicyStatus.Rescinded or PolicyStatus.Superseded;

    /// <summary>The status at <paramref name="at"/>: expired once its expiry has been reached while it still applied.</summary>
    public PolicyStatus StatusAt(DateTimeOffset at) =>
        Status is PolicyStatus.InForce or PolicyStatus.Suspended && ExpiresAt <= at ? PolicyStatus.Expired : Status;

    /// <summary>
    /// The state after one more effective event. Total: an event that no longer fits (a suspension of
    /// an instrument a later-recorded, earlier-effective rescission ended) changes nothing it cannot.
    /// The confidence follows what the event changed (<see cref="Policies.Confidence.After"/>).
    /// </summary>
    public PolicyState Apply(IEffectiveEvent effective)
    {
        var next = Fold(effective);
        if (ReferenceEquals(next, this))
        {
            return this;
        }

        var confidence = Policies.Confidence.After(Confidence, effective);
        return ReferenceEquals(confidence, next.Confidence) ? next : next with { Confidence = confidence };
    }

    /// <summary>The instruments that amended this one, in the order of their first amendment; "amends" is read the other way.</summary>
    private EquatableArray<string> WithAmender(string? byPolicyId) =>
        byPolicyId is null || AmendedBy.Contains(byPolicyId) ? AmendedBy : new([.. AmendedBy, byPolicyId]);

    private PolicyState Fold(IEffectiveEvent effective) => effective switch
    {
        PolicyIssued => this,
        PolicyAmended amended => this with { Provisions = Provisions.With(amended.Set, amended.Remove), AmendedBy = WithAmender(amended.ByPolicyId) },
        PolicySuspended suspended when Status == PolicyStatus.InForce =>
            this with { Status = PolicyStatus.Suspended, SuspensionReason = suspended.Reason },
        PolicyReinstated when Status == PolicyStatus.Suspended =>
            this with { Status = PolicyStatus.InForce, SuspensionReason = null },
        PolicyRescinded rescinded when !IsRevoked =>
            this with { Status = PolicyStatus.Rescinded, RescindedBy = rescinded.ByPolicyId, SuspensionReason = null },
        PolicySuperseded superseded when !IsRevoked =>
            this with { Status = PolicyStatus.Superseded, SupersededBy = superseded.ByPolicyId, SuspensionReason = null },
        PolicyExtended extended when !IsRevoked => this with
        {
            ExpiresAt = extended.ExpiresAt,
            Status = Status == PolicyStatus.Expired ? PolicyStatus.InForce : Status,
        },
        PolicyExpired expired when Status is PolicyStatus.InForce or PolicyStatus.Suspended =>
            this with { Status = PolicyStatus.Expired, ExpiresAt = expired.EffectiveAt, SuspensionReason = null },
        _ => this,
    };
}
