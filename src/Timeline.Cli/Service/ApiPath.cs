namespace Timeline.Cli.Service;

/// <summary>A relative API path with its query: parameters without a value are left out, the rest escaped.</summary>
internal static class ApiPath
{
    public static string Of(string path, params (string Name, string? Value)[] query)
    {
        var parameters = query.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parameters.Count == 0 ? path : $"{path}?{string.Join('&', parameters)}";
    }

    public static string Policy(string id, string? tail = null) =>
        $"api/policies/{Uri.EscapeDataString(id)}{(tail is null ? "" : "/" + tail)}";
}
