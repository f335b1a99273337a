using System.Text.Json;
using System.Text.Json.Serialization;
using Timeline.Domain.Policies;

namespace Timeline.Dataset.Requests;

/// <summary>
/// How write bodies are read, over HTTP and from the dataset alike: the domain's JSON form, with
/// answers saying null out loud and unknown fields refused.
/// </summary>
public static class RequestJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        PolicyJson.Configure(options);
        // Answers say null out loud (an open-ended interval); requests may not carry unknown fields.
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        return options;
    }

    private static JsonSerializerOptions Create()
    {
        var options = Configure(new JsonSerializerOptions());
        options.TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver();
        options.MakeReadOnly();
        return options;
    }
}
