using Timeline.Domain.Policies;

namespace Timeline.Api.PointInTime;

/// <summary>An instrument as it stood at one effective time, as of one record time.</summary>
public class PolicyView
{
    public string Id { get; init; } = string.Empty;

    public PolicyKind Kind { get; init; }

    public string Title { get; init; } = string.Empty;

    public string Jurisdiction { get; init; } = string.Empty;

    /// <summary>pending, in-force, suspended, rescinded, superseded or expired.</summary>
    public string Status { get; init; } = string.Empty;

    public IReadOnlyList<string> Topics { get; init; } = [];

    public Provisions Provisions { get; init; } = Provisions.Empty;

    /// <summary>The instrument's stream version as of the record time: send it back in If-Match.</summary>
    public long Version { get; init; }

    /// <summary>The start of the version in force at the time asked (null: since ever, for a pending instrument).</summary>
    public DateTimeOffset? EffectiveFrom { get; init; }

    /// <summary>The end of that version as the record stands (null: open-ended).</summary>
    public DateTimeOffset? EffectiveTo { get; init; }

    /// <summary>When the instrument itself takes or took effect.</summary>
    public DateTimeOffset EffectiveAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public string? RescindedBy { get; init; }

    public string? SupersededBy { get; init; }

    /// <summary>The instruments that amended this one, as of the answer's times.</summary>
    public IReadOnlyList<string> AmendedBy { get; init; } = [];

    public string? SuspensionReason { get; init; }

    public string? Authority { get; init; }

    public string? Citation { get; init; }

    public string? SourceUrl { get; init; }

    public DateOnly? SignedOn { get; init; }

    public DateOnly? PublishedOn { get; init; }

    /// <summary>The IANA zone the instrument's dates are stated in.</summary>
    public string TimeZone { get; init; } = string.Empty;

    /// <summary>The day the instrument became publicly known, where a source says so.</summary>
    public DateOnly? PublicKnowledgeOn { get; init; }

    /// <summary>How well sourced the state is: the instrument's level, and the fields sourced otherwise (null: not stated).</summary>
    public Confidence? Confidence { get; init; }

    public static T Create<T>(PolicyState state, string status, long version, DateTimeOffset? effectiveFrom, DateTimeOffset? effectiveTo)
        where T : PolicyView, new()
    {
        ArgumentNullException.ThrowIfNull(state);
        return new T
        {
            Id = state.PolicyId,
            Kind = state.Kind,
            Title = state.Title,
            Jurisdiction = state.Jurisdiction,
            Status = status,
            Topics = state.Topics,
            Provisions = state.Provisions,
            Version = version,
            EffectiveFrom = effectiveFrom,
            EffectiveTo = effectiveTo,
            EffectiveAt = state.EffectiveAt,
            ExpiresAt = state.ExpiresAt,
            RescindedBy = state.RescindedBy,
            SupersededBy = state.SupersededBy,
            AmendedBy = [.. state.AmendedBy],
            SuspensionReason = state.SuspensionReason,
            Authority = state.Authority,
            Citation = state.Citation,
            SourceUrl = state.SourceUrl,
            SignedOn = state.SignedOn,
            PublishedOn = state.PublishedOn,
            TimeZone = state.TimeZone,
            PublicKnowledgeOn = state.PublicKnowledgeOn,
            Confidence = state.Confidence,
        };
    }
}

/// <summary>One instrument at (<c>at</c>, <c>asOf</c>), echoing both resolved instants.</summary>
public sealed class PolicyAtResponse : PolicyView
{
    public DateTimeOffset At { get; set; }

    public DateTimeOffset AsOf { get; set; }
}

/// <summary>The instruments matching a point-in-time list query.</summary>
public sealed record PolicyListResponse(DateTimeOffset At, DateTimeOffset AsOf, IReadOnlyList<PolicyView> Items, string? NextCursor);
