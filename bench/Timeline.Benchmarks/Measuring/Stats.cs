namespace Timeline.Benchmarks.Measuring;

/// <summary>Percentiles of a sample by nearest rank.</summary>
public sealed record Percentiles(double P50, double P99, int Count)
{
    public static Percentiles Of(IEnumerable<double> sample)
    {
        var sorted = sample.Order().ToList();
        return new Percentiles(Percentile(sorted, 50), Percentile(sorted, 99), sorted.Count);
    }

    public static double Percentile(IReadOnlyList<double> sorted, double percentile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public override string ToString() => $"p50 {P50:F2} ms, p99 {P99:F2} ms (n = {Count})";
}
