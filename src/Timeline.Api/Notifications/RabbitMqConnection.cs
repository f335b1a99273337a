namespace Timeline.Api.Notifications;

/// <summary>
/// Where the RabbitMQ broker is, from <c>Timeline:Bus:RabbitMq</c>: either a URI as the value
/// (<c>amqp://user:password@host:5672/vhost</c>; env <c>Timeline__Bus__RabbitMq</c>), or the keys <c>Uri</c>, or
/// <c>Host</c>, <c>Port</c>, <c>VirtualHost</c>, <c>Username</c>, <c>Password</c> (env <c>Timeline__Bus__RabbitMq__Host</c>, ...).
/// Nothing configured means the in-memory bus.
/// </summary>
public sealed record RabbitMqConnection(string Host, int Port, string VirtualHost, string Username, string Password, bool UseTls)
{
    public const string Key = "Timeline:Bus:RabbitMq";

    /// <summary>The broker without the password, for logs and health.</summary>
    public string Describe() => $"{(UseTls ? "amqps" : "amqp")}://{Username}@{Host}:{Port}/{Uri.EscapeDataString(VirtualHost)}";

    /// <summary>The configured broker, or null for the in-memory bus. Throws when the setting is there but unusable.</summary>
    public static RabbitMqConnection? From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Key);
        var uri = section.Value is { Length: > 0 } value ? value : section["Uri"];
        if (!string.IsNullOrWhiteSpace(uri))
        {
            return Parse(uri);
        }

        var host = section["Host"];
        if (string.IsNullOrWhiteSpace(host))
        {
            return section.GetChildren().Any()
                ? throw new InvalidOperationException($"{Key} has settings but no Host or Uri; set {Key}:Host or give a URI such as amqp://user:password@host:5672/.")
                : null;
        }

        var useTls = bool.TryParse(section["UseTls"], out var tls) && tls;
        return new RabbitMqConnection(
            host,
            int.TryParse(section["Port"], out var port) ? port : useTls ? 5671 : 5672,
            section["VirtualHost"] is { Length: > 0 } vhost ? vhost : "/",
            section["Username"] ?? "guest",
            section["Password"] ?? "guest",
            useTls);
    }

    private static RabbitMqConnection Parse(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps") || string.IsNullOrEmpty(uri.Host))
        {
            throw new InvalidOperationException($"{Key} must be a URI such as amqp://user:password@host:5672/vhost.");
        }

        var credentials = uri.UserInfo.Split(':', 2);
        var vhost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new RabbitMqConnection(
            uri.Host,
            uri.IsDefaultPort ? uri.Scheme == "amqps" ? 5671 : 5672 : uri.Port,
            vhost.Length == 0 ? "/" : vhost,
            credentials[0].Length > 0 ? Uri.UnescapeDataString(credentials[0]) : "guest",
            credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "guest",
            uri.Scheme == "amqps");
    }
}
