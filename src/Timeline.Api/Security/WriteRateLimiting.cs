using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Timeline.Api.Auth;
using Timeline.Api.Http;

namespace Timeline.Api.Security;

/// <summary><c>Timeline:RateLimits:Writes</c>: a token bucket per caller (key name or token subject).</summary>
public sealed class WriteRateLimitOptions
{
    public const string Section = "Timeline:RateLimits:Writes";

    /// <summary>Writes a caller may make in a burst, before the steady rate applies.</summary>
    public int Burst { get; set; } = 200;

    /// <summary>The steady rate: writes per minute each caller regains; 0 turns write rate limiting off.</summary>
    public int PerMinute { get; set; } = 1200;
}

/// <summary>
/// Limits how fast each caller may write, so one runaway client with a valid key cannot flood the log. Over the
/// limit a write is refused at once with 429 and Retry-After (nothing queued, nothing written). Reads are not
/// limited here: they are cheap and bounded by their own page sizes.
/// </summary>
public static class WriteRateLimiting
{
    public const string PolicyName = "timeline-writes";

    public static IServiceCollection AddWriteRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(WriteRateLimitOptions.Section).Get<WriteRateLimitOptions>() ?? new WriteRateLimitOptions();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            limiter.AddPolicy(PolicyName, http => options.PerMinute <= 0
                ? RateLimitPartition.GetNoLimiter("unlimited")
                : RateLimitPartition.GetTokenBucketLimiter(Callers.PartitionOf(http.User), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, options.Burst),
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1) / options.PerMinute,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
        return services;
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Type = Problems.TypeFor(StatusCodes.Status429TooManyRequests),
                Title = "Too many writes",
                Detail = $"This caller is writing faster than the configured limit; retry after {seconds} s. Nothing was written.",
            },
        });
    }
}
