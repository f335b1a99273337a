using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Timeline.Api.Http;
using Timeline.Domain.Decisions;

namespace Timeline.Api.Audit.Reports;

/// <summary>Reports a person can read and hand on: every change, when it applied, when it was recorded, by whom, its source, and the chain's verification.</summary>
public static class AuditReportApi
{
    private static readonly Dictionary<string, (string ContentType, Func<AuditReport, string> Render)> Formats = new(StringComparer.Ordinal)
    {
        ["markdown"] = ("text/markdown; charset=utf-8", AuditReportRenderer.Markdown),
        ["html"] = ("text/html; charset=utf-8", AuditReportRenderer.Html),
        ["csv"] = ("text/csv; charset=utf-8", AuditReportRenderer.Csv),
    };

    public static IEndpointRouteBuilder MapAuditReports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit/report", ReportAsync)
            .WithTags("Audit")
            .WithName("GetAuditReport")
            .WithSummary("An audit report for an instrument, a topic or a date range, as Markdown, HTML or CSV")
            .Produces(StatusCodes.Status200OK, contentType: "text/markdown")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReportAsync(
        [Description("The instrument reported on.")] string? policyId,
        [Description("Every instrument with this topic.")] string? topic,
        [Description("Changes effective after this date or instant.")] string? from,
        [Description("Changes effective up to this date or instant.")] string? to,
        [Description("Record time: the log as it stood then. Default now.")] string? asOf,
        [Description("markdown (default), html or csv.")] string? format,
        ReadConnections reads,
        ReadClock readClock,
        AuditReportBuilder builder,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readClock);
        ArgumentNullException.ThrowIfNull(builder);
        var errors = new FieldErrors();
        FieldRules.Filter(errors, "policyId", policyId, FilterKind.PolicyId);
        FieldRules.Filter(errors, "topic", topic, FilterKind.Topic);
        var start = readClock.Parse(errors, "from", from);
        var end = readClock.Parse(errors, "to", to);
        if (policyId is null && topic is null && start is null && end is null)
        {
            errors.Add("policyId", "name an instrument, a topic, or a date range (from, to)");
        }

        if (!Formats.TryGetValue(format ?? "markdown", out var output))
        {
            errors.Add("format", "must be markdown, html or csv");
        }

        var (scope, problem) = await ReadScope.BeginAsync(reads, readClock, null, asOf, errors, cancellationToken);
        if (scope is null)
        {
            return problem!;
        }

        await using var read = scope;
        var report = await builder.BuildAsync(read.Connection, new ReportScope(policyId, topic, start, end), read.Times.AsOf, clock.GetUtcNow(), cancellationToken);
        return TypedResults.Content(output.Render(report), output.ContentType);
    }
}
