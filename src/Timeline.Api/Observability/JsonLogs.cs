using Microsoft.Extensions.Logging.Console;

namespace Timeline.Api.Observability;

/// <summary>
/// Structured logs: one JSON object per line on the console, with scopes (the correlation id, the trace id, the
/// request path), for a log collector to index. On when <c>Timeline:Logging:Json</c> is true, and by default in a
/// container (<c>DOTNET_RUNNING_IN_CONTAINER</c>, set by the .NET images); <c>Logging:Console:FormatterName=json</c>
/// does the same through the standard setting.
/// </summary>
public static class JsonLogs
{
    public const string Setting = "Timeline:Logging:Json";

    public static IHostApplicationBuilder AddTimelineJsonLogs(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var inContainer = string.Equals(builder.Configuration["DOTNET_RUNNING_IN_CONTAINER"], "true", StringComparison.OrdinalIgnoreCase);
        var json = builder.Configuration.GetValue(Setting, inContainer);
        builder.Services.Configure<JsonConsoleFormatterOptions>(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffK";
        });
        if (json)
        {
            builder.Services.Configure<ConsoleLoggerOptions>(options => options.FormatterName = ConsoleFormatterNames.Json);
        }

        return builder;
    }
}
