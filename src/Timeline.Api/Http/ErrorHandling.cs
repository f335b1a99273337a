using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Timeline.Api.Http;

/// <summary>
/// Errors raised outside the endpoints become problem+json too: malformed or oversized bodies are the
/// caller's 4xx, an unreachable database is 503, and only a real fault is a 500 (logged, never detailed).
/// </summary>
public static class ErrorHandling
{
    public static IServiceCollection AddTimelineErrorHandling(this IServiceCollection services)
    {
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

    /// <summary>Maps what the caller or the environment got wrong to the right status and a useful detail.</summary>
    private sealed class CallerFaultHandler(IProblemDetailsService problems, ILogger<CallerFaultHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            var (status, title, detail) = Classify(exception);
            if (status >= 500)
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
            PostgresException =>
                (StatusCodes.Status500InternalServerError, "An unexpected error occurred", null),
            NpgsqlException or TimeoutException =>
                (StatusCodes.Status503ServiceUnavailable, "The database is unavailable", "Timeline cannot reach its database right now; retry shortly."),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred", null),
        };

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
