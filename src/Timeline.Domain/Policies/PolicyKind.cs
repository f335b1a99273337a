namespace Timeline.Domain.Policies;

/// <summary>What sort of legal text an instrument is. Written in JSON as kebab case: <c>executive-order</c>.</summary>
public enum PolicyKind
{
    ExecutiveOrder,
    Proclamation,
    Rule,
    Statute,
    Guidance,
    LicensePolicy,
    Other,
}
