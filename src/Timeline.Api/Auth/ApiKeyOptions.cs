namespace Timeline.Api.Auth;

/// <summary>One API key: the name its writes are recorded under, and the key or its SHA-256 (hex).</summary>
public sealed class ApiKeyEntry
{
    public string Name { get; set; } = string.Empty;

    /// <summary>The key itself; prefer <see cref="Sha256"/> in shared configuration.</summary>
    public string? Key { get; set; }

    /// <summary>The lower-case hex SHA-256 of the key, so configuration need not hold the key.</summary>
    public string? Sha256 { get; set; }
}
