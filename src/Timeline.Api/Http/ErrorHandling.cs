using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Timeouts;
using Npgsql;

namespace Timeline.Api.Http;

/// <summary>
/// Errors raised outside the endpoints become problem+json too: malformed or oversized bodies are the
/// caller's 4xx, a database that is unreachable, restarting or too slow is 503 (with Retry-After), and only a real
/// fault is a 500 (logged, never detailed). Requests that wait on the database are bounded by
/// <see cref="DatabaseTimeoutPolicy"/>, so a partition answers 503 instead of hanging.
/// </summary>
public static class ErrorHandling
{
    /// <summary>The request timeout of endpoints that answer from the database (<c>Timeline:RequestTimeout</c>, 10 s by default).</summary>
    public const string DatabaseTimeoutPolicy = "database";

    public const string RequestTimeoutKey = "Timeline:RequestTimeout";

    private const string DatabaseUnavailable = "Timeline cannot reach its database right now; retry shortly.";
    private const string RetryAfterSeconds = "2";

    public static IServiceCollection AddTimelineErrorHandling(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var timeout = configuration.GetValue(RequestTimeoutKey, TimeSpan.FromSeconds(10));
        services.AddRequestTimeouts(options => options.AddPolicy(DatabaseTimeoutPolicy, new RequestTimeoutPolicy
        {
            Timeout = timeout,
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
            WriteTimeoutResponse = http => WriteUnavailableAsync(http, $"The database did not answer within {timeout.TotalSeconds:F0} s; retry shortly."),
        }));
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? StatusCodes.Status500InternalServerError;
            context.ProblemDetails.Type ??= Problems.TypeFor(status);
            if (status == StatusCodes.Status413PayloadTooLarge)
            {
                context.ProblemDetails.Detail ??= $"A write body may hold at most {TimelineApi.MaxWriteBodyBytes / 1024} KiB.";
            }

            if (context.ProblemDetails.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
            {
                context.ProblemDetails.Type = Problems.TypeFor(status);
            }
        });
        // After the default writer, which declines when Accept names no JSON type: the refusal is still problem+json.
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonForAnyAccept>();
        services.AddExceptionHandler<CallerFaultHandler>();
        return services;
    }

    public static WebApplication UseTimelineErrorHandling(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // After routing (which WebApplication puts first), so that each endpoint's policy is known.
        app.UseRequestTimeouts();
        return app;
    }

    /// <summary>Writes problem+json whatever the Accept header asks: an API has no other form of error to offer.</summary>
    private sealed class ProblemJsonForAnyAccept(Microsoft.Extensions.Options.IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
    {
        private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        };

        public bool CanWrite(ProblemDetailsContext context) => true;

        public ValueTask WriteAsync(ProblemDetailsContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            var http = context.HttpContext;
            var problem = context.ProblemDetails;
            problem.Status ??= http.Response.StatusCode;
            problem.Title ??= Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(problem.Status.Value);
            problem.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.Id ?? http.TraceIdentifier);
            options.Value.CustomizeProblemDetails?.Invoke(context);
            return new ValueTask(http.Response.WriteAsJsonAsync(problem, Json, "application/problem+json", http.RequestAborted));
        }
    }

    /// <summary>
    /// A 503 with Retry-After: the request may be sent again. A write cut off by it may or may not have been recorded;
    /// sending it again with its Idempotency-Key makes the retry safe.
    /// </summary>
    private static Task WriteUnavailableAsync(HttpContext http, string detail)
    {
        http.Response.Headers.RetryAfter = RetryAfterSeconds;
        return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is unavailable",
                Detail = detail,
                Type = Problems.TypeFor(StatusCodes.Status503ServiceUnavailable),
            },
        }).AsTask();
    }

    /// <summary>Maps what the caller or the environment got wrong to the right status and a useful detail.</summary>
    private sealed class CallerFaultHandler(IProblemDetailsService problems, ILogger<CallerFaultHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            var (status, title, detail) = Classify(exception);
            if (status == StatusCodes.Status503ServiceUnavailable)
            {
                // The environment, not a bug: one line, no stack trace.
                logger.LogWarning("Request {Method} {Path} answered 503: {Reason}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
                httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
            }
            else if (status >= 500)
            {
                logger.LogError(exception, "Request {Method} {Path} failed", httpContext.Request.Method, httpContext.Request.Path);
            }

            httpContext.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = { Status = status, Title = title, Detail = detail, Type = Problems.TypeFor(status) },
            });
        }

        private static (int Status, string Title, string? Detail) Classify(Exception exception) => exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } or BadHttpRequestException { InnerException: BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } } =>
                (StatusCodes.Status413PayloadTooLarge, "The request body is too large", exception.Message),
            BadHttpRequestException { InnerException: JsonException json } =>
                (StatusCodes.Status400BadRequest, "The request body is not valid JSON for this endpoint", JsonDetail(json)),
            BadHttpRequestException bad =>
                (bad.StatusCode, "The request is malformed", bad.Message),
            JsonException json =>
                (StatusCodes.Status400BadRequest, "The request body is not valid JSON for this endpoint", JsonDetail(json)),
            PostgresException { SqlState: ['2', '2', ..] } =>
                (StatusCodes.Status400BadRequest, "The request holds a value the database cannot store", "A value in the request cannot be stored (for example a NUL character)."),
            _ when IsDatabaseUnavailable(exception) =>
                (StatusCodes.Status503ServiceUnavailable, "The database is unavailable", DatabaseUnavailable),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred", null),
        };

        /// <summary>
        /// The database is away, restarting or unreachable, possibly behind Marten's own exception types: a connection
        /// failure or timeout, or a server error PostgreSQL marks as transient (shutting down, starting up, too many
        /// connections, ...). Any other server error is a fault of ours.
        /// </summary>
        private static bool IsDatabaseUnavailable(Exception exception)
        {
            for (var cause = exception; cause is not null; cause = cause.InnerException)
            {
                switch (cause)
                {
                    case PostgresException postgres:
                        // Class 08: connection exceptions; class 57: operator intervention (shutting down, starting up,
                        // statement cancelled or timed out).
                        return postgres.IsTransient || postgres.SqlState is ['0', '8', ..] or ['5', '7', ..];
                    case NpgsqlException or TimeoutException:
                        return true;
                }
            }

            return false;
        }

        private static string JsonDetail(JsonException json)
        {
            var field = json.Path?.Split('.').LastOrDefault();
            var path = json.Path ?? "$";
            if (field is "recordedAt" or "recordTime" or "asOf")
            {
                return $"'{field}' cannot be written: the record time is set by the store when it records the write.";
            }

            return json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                ? $"The value at {path} has the wrong JSON type for that field."
                : $"{json.Message.Split(" Path:")[0].Split(" LineNumber:")[0]} (at {path})";
        }
    }
}
