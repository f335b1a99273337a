using System.Globalization;
using System.Net;
using System.Text;
using Timeline.Domain.Time;

namespace Timeline.Api.Audit.Reports;

/// <summary>Writes a report as Markdown, as a standalone HTML page, or as CSV (with the verification in leading # lines).</summary>
public static class AuditReportRenderer
{
    public static string Markdown(AuditReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Timeline audit report: {report.Subject}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Generated: {Instants.Format(report.GeneratedAt)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- The record as of: {Instants.Format(report.AsOf)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Hash chain: {Chain(report.Chain)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Changes: {report.Rows.Count}");
        text.AppendLine();
        text.AppendLine("| # | Instrument | Change | Effective | Recorded | By | Summary | Citation | Source | Hash |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in report.Rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Sequence} | {Cell(row.PolicyId)} | {row.Type} | {Time(row.EffectiveAt)} | {Instants.Format(row.RecordedAt)} | {Cell(row.RecordedBy)} | {Cell(row.Summary)} | {Cell(row.Citation)} | {(row.SourceUrl is null ? string.Empty : $"[link]({row.SourceUrl})")} | `{Short(row.Hash)}` |");
        }

        return text.ToString();
    }

    public static string Html(AuditReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Timeline audit report: {E(report.Subject)}</title>
            <style>
            body {"{"} font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; {"}"}
            table {"{"} border-collapse: collapse; width: 100%; font-size: 0.9rem; {"}"}
            th, td {"{"} border: 1px solid #c8c8c8; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; {"}"}
            th {"{"} background: #f0f0f0; {"}"}
            .ok {"{"} color: #0b6b2b; {"}"} .broken {"{"} color: #a00000; font-weight: bold; {"}"}
            code {"{"} font-size: 0.85em; {"}"}
            </style></head><body>
            <h1>Timeline audit report: {E(report.Subject)}</h1>
            <ul>
            <li>Generated: {Instants.Format(report.GeneratedAt)}</li>
            <li>The record as of: {Instants.Format(report.AsOf)}</li>
            <li>Hash chain: <span class="{(report.Chain.Ok ? "ok" : "broken")}">{E(Chain(report.Chain))}</span></li>
            <li>Changes: {report.Rows.Count}</li>
            </ul>
            <table><thead><tr><th>#</th><th>Instrument</th><th>Change</th><th>Effective</th><th>Recorded</th><th>By</th><th>Summary</th><th>Citation</th><th>Source</th><th>Hash</th></tr></thead><tbody>
            """);
        foreach (var row in report.Rows)
        {
            var source = row.SourceUrl is null ? string.Empty : $"<a href=\"{E(row.SourceUrl)}\">source</a>";
            text.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{row.Sequence}</td><td>{E(row.PolicyId)}<br><small>{E(row.Title)}</small></td><td>{E(row.Type)}</td><td>{Time(row.EffectiveAt)}</td><td>{Instants.Format(row.RecordedAt)}</td><td>{E(row.RecordedBy)}</td><td>{E(row.Summary)}</td><td>{E(row.Citation)}</td><td>{source}</td><td><code title=\"{E(row.Hash)}\">{Short(row.Hash)}</code></td></tr>\n");
        }

        text.Append("</tbody></table></body></html>\n");
        return text.ToString();
    }

    public static string Csv(AuditReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Timeline audit report: {report.Subject}");
        text.AppendLine(CultureInfo.InvariantCulture, $"# generated {Instants.Format(report.GeneratedAt)}; the record as of {Instants.Format(report.AsOf)}; hash chain: {Chain(report.Chain)}");
        text.AppendLine("sequence,policy_id,title,change,effective_at,recorded_at,recorded_by,summary,citation,source_url,hash");
        foreach (var row in report.Rows)
        {
            text.AppendLine(string.Join(',', new[]
            {
                row.Sequence.ToString(CultureInfo.InvariantCulture), row.PolicyId, row.Title, row.Type, Time(row.EffectiveAt),
                Instants.Format(row.RecordedAt), row.RecordedBy, row.Summary, row.Citation, row.SourceUrl, row.Hash,
            }.Select(Quote)));
        }

        return text.ToString();
    }

    private static string Chain(VerificationResult chain) => chain.Ok
        ? $"verified, {chain.Events} events, head {chain.HeadHash} at sequence {chain.HeadSequence}"
        : $"BROKEN at sequence {chain.FirstFailedSequence}: {chain.Reason}";

    private static string Time(DateTimeOffset? value) => value is null ? string.Empty : Instants.Format(value.Value);

    private static string Short(string? hash) => hash is null ? "none" : hash[..12];

    private static string E(string? value) => WebUtility.HtmlEncode(value ?? string.Empty);

    private static string Cell(string? value) => (value ?? string.Empty).Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Quote(string? value) =>
        value is null ? string.Empty : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
