using System.Globalization;
using System.Text;

namespace Timeline.Benchmarks.Results;

/// <summary>
/// The cost-growth plot as plain SVG, no tools: point-in-time latencies (p50, ms) and rebuild time (s) against the
/// number of events, both axes logarithmic, one line per series over the sizes measured.
/// </summary>
public static class GrowthPlot
{
    private const int Width = 760, Height = 420, Left = 70, Right = 200, Top = 30, Bottom = 50;

    private static readonly (string Key, string Label, string Colour, bool Seconds)[] Series =
    [
        ("list_p50", "list, first page p50 (ms)", "#1f77b4", false),
        ("list_topic_p50", "list by topic p50 (ms)", "#2ca02c", false),
        ("list_as_of_early_p50", "list as of 1 % p50 (ms)", "#ff7f0e", false),
        ("state_p50", "single state p50 (ms)", "#9467bd", false),
        ("naive_list_p50", "naive list p50 (ms)", "#7f7f7f", false),
        ("rebuild_seconds", "rebuild (s)", "#d62728", true),
    ];

    public static string Svg(IReadOnlyList<SizeResult> sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        var points = Series.Select(s => (s.Key, s.Label, s.Colour, Points: sizes
            .Select(size => (size.Events, Value: size.Find(s.Key)?.Value ?? double.NaN))
            .Where(p => double.IsFinite(p.Value) && p.Value > 0).ToList())).ToList();
        var all = points.SelectMany(p => p.Points).ToList();
        var minX = Math.Log10(Math.Max(1, all.Count == 0 ? 1e4 : all.Min(p => p.Events)));
        var maxX = Math.Log10(Math.Max(10, all.Count == 0 ? 1e7 : all.Max(p => p.Events)));
        var minY = Math.Floor(Math.Log10(all.Count == 0 ? 0.1 : all.Min(p => p.Value)));
        var maxY = Math.Ceiling(Math.Log10(all.Count == 0 ? 1000 : all.Max(p => p.Value)));
        if (maxX - minX < 1)
        { minX -= 0.5; maxX += 0.5; }
        if (maxY <= minY)
        { maxY = minY + 1; }

        double X(double events) => Left + ((Math.Log10(events) - minX) / (maxX - minX) * (Width - Left - Right));
        double Y(double value) => Height - Bottom - ((Math.Log10(value) - minY) / (maxY - minY) * (Height - Top - Bottom));
        string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"18\" font-size=\"14\">Cost growth: latency (ms) and rebuild time (s) against events (log-log)</text>");
        for (var decade = (int)minY; decade <= (int)maxY; decade++)
        {
            var y = Y(Math.Pow(10, decade));
            svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{F(y)}\" x2=\"{Width - Right}\" y2=\"{F(y)}\" stroke=\"#ddd\"/><text x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{Math.Pow(10, decade).ToString("G", CultureInfo.InvariantCulture)}</text>");
        }

        foreach (var size in sizes)
        {
            var x = X(size.Events);
            svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" y1=\"{Top}\" x2=\"{F(x)}\" y2=\"{Height - Bottom}\" stroke=\"#eee\"/><text x=\"{F(x)}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{size.Size}</text>");
        }

        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\">events in the record</text>");
        var legend = Top + 10;
        foreach (var (_, label, colour, series) in points)
        {
            if (series.Count > 0)
            {
                svg.AppendLine(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', series.Select(p => $"{F(X(p.Events))},{F(Y(p.Value))}"))}\"/>");
                foreach (var p in series)
                {
                    svg.AppendLine(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(p.Events))}\" cy=\"{F(Y(p.Value))}\" r=\"3\" fill=\"{colour}\"/>");
                }
            }

            svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{Width - Right + 12}\" y=\"{legend - 9}\" width=\"12\" height=\"3\" fill=\"{colour}\"/><text x=\"{Width - Right + 30}\" y=\"{legend - 4}\">{label}</text>");
            legend += 20;
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
