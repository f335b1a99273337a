using System.Text.Json;
using System.Text.Json.Nodes;
using Timeline.Domain.Decisions;

namespace Timeline.Dataset.Requests;

/// <summary>The writes of the HTTP API, named as the dataset format names them.</summary>
public enum WriteKind
{
    Issue,
    Amend,
    Suspend,
    Reinstate,
    Rescind,
    Supersede,
    Extend,
    Expire,
}

/// <summary>
/// One write as the HTTP API takes it: which write, on which instrument, with which body. The dataset,
/// the Federal Register importer and the loaders all speak in these; the body becomes a domain command
/// through the same request records the endpoints bind, so there is one mapping.
/// </summary>
/// <param name="Kind">Which write.</param>
/// <param name="PolicyId">The instrument written to; for an issue, the body's <c>id</c>.</param>
/// <param name="Body">The JSON body, as it is posted.</param>
public sealed record WriteRequest(WriteKind Kind, string PolicyId, JsonObject Body)
{
    public static IReadOnlyDictionary<string, WriteKind> Names { get; } = Enum.GetValues<WriteKind>()
        .ToDictionary(kind => JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString()), kind => kind, StringComparer.Ordinal);

    public string KindName => JsonNamingPolicy.KebabCaseLower.ConvertName(Kind.ToString());

    /// <summary>The path the write is posted to.</summary>
    public string Path => Kind switch
    {
        WriteKind.Issue => "/api/policies",
        _ => $"/api/policies/{Uri.EscapeDataString(PolicyId)}/{Kind switch
        {
            WriteKind.Amend => "amendments",
            WriteKind.Suspend => "suspensions",
            WriteKind.Reinstate => "reinstatements",
            WriteKind.Rescind => "rescissions",
            WriteKind.Supersede => "supersessions",
            WriteKind.Extend => "extensions",
            _ => "expirations",
        }}",
    };

    /// <summary>The body bound as the endpoint binds it.</summary>
    /// <exception cref="JsonException">The body does not bind: an unknown field, a value of the wrong type.</exception>
    public object BindBody() => Kind switch
    {
        WriteKind.Issue => Bind<IssuePolicyRequest>(),
        WriteKind.Amend => Bind<AmendPolicyRequest>(),
        WriteKind.Suspend or WriteKind.Reinstate => Bind<SuspensionRequest>(),
        WriteKind.Rescind => Bind<RescissionRequest>(),
        WriteKind.Supersede => Bind<SupersessionRequest>(),
        WriteKind.Extend => Bind<ExtensionRequest>(),
        _ => Bind<ExpirationRequest>(),
    };

    /// <summary>The domain command the endpoint would run for this body.</summary>
    /// <exception cref="JsonException">The body does not bind.</exception>
    public IPolicyCommand ToCommand() => BindBody() switch
    {
        IssuePolicyRequest issue => issue.ToCommand(),
        AmendPolicyRequest amend => amend.ToCommand(PolicyId),
        SuspensionRequest suspension when Kind == WriteKind.Suspend => suspension.ToSuspendCommand(PolicyId),
        SuspensionRequest reinstatement => reinstatement.ToReinstateCommand(PolicyId),
        RescissionRequest rescission => rescission.ToCommand(PolicyId),
        SupersessionRequest supersession => supersession.ToCommand(PolicyId),
        ExtensionRequest extension => extension.ToCommand(PolicyId),
        ExpirationRequest expiration => expiration.ToCommand(PolicyId),
        var other => throw new InvalidOperationException($"No command for {other.GetType().Name}."),
    };

    /// <summary>Instruments the write names besides its own: what it rescinds, supersedes or is amended by.</summary>
    public IEnumerable<string> Related()
    {
        foreach (var field in new[] { "rescinds", "supersedes" })
        {
            if (Body[field] is JsonArray ids)
            {
                foreach (var id in ids)
                {
                    if (id?.GetValueKind() == JsonValueKind.String)
                    {
                        yield return id.GetValue<string>();
                    }
                }
            }
        }

        if (Body["byPolicyId"]?.GetValueKind() == JsonValueKind.String)
        {
            yield return Body["byPolicyId"]!.GetValue<string>();
        }
    }

    private T Bind<T>() => Body.Deserialize<T>(RequestJson.Options) ?? throw new JsonException("The body is null.");
}
