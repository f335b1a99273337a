namespace Timeline.NotificationBench;

/// <summary>Percentiles of a sample by nearest rank.</summary>
internal static class Stats
{
    public static double Percentile(IReadOnlyList<double> sorted, double percentile)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static string Summary(IEnumerable<double> sample)
    {
        var sorted = sample.Order().ToList();
        return $"p50 {Percentile(sorted, 50),6:F1} ms  p95 {Percentile(sorted, 95),6:F1} ms  p99 {Percentile(sorted, 99),6:F1} ms  max {sorted.LastOrDefault(),7:F1} ms  (n = {sorted.Count})";
    }
}
