namespace Timeline.Domain.Policies;

/// <summary>An instrument's status at a point in time. Written in JSON as kebab case: <c>in-force</c>.</summary>
public enum PolicyStatus
{
    /// <summary>Known to the record but not yet effective.</summary>
    Pending,
    InForce,
    Suspended,
    Rescinded,
    Superseded,

    /// <summary>Its expiry was reached with no extension, or it was explicitly sunset.</summary>
    Expired,
}
