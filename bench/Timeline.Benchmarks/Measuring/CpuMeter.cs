using System.Diagnostics;

namespace Timeline.Benchmarks.Measuring;

/// <summary>
/// The CPU this process and PostgreSQL's processes spend between <see cref="Start"/> and <see cref="Stop"/>, summed over
/// every such interval, as a <see cref="Stopwatch"/> sums time: what a rate cost each side, so that a rate on two shared
/// cores can be read as work (docs/performance.md). Reading PostgreSQL's share walks <c>/proc</c>, a millisecond or two:
/// start it before a timed interval and stop it after.
/// </summary>
public sealed class CpuMeter
{
    private double _service;
    private double _database;
    private double _serviceAtStart;
    private double _databaseAtStart;

    public void Start()
    {
        _serviceAtStart = ServiceNow();
        _databaseAtStart = CpuTime.OfProcessesNamed("postgres");
    }

    public void Stop()
    {
        _service += ServiceNow() - _serviceAtStart;
        _database += CpuTime.OfProcessesNamed("postgres") - _databaseAtStart;
    }

    /// <summary>
    /// Milliseconds of CPU per 1,000 of <paramref name="items"/> over the intervals: this process's, and that of
    /// PostgreSQL's processes (the server, its backends and workers).
    /// </summary>
    public (double Service, double Database) PerThousand(long items) =>
        items == 0 ? (double.NaN, double.NaN) : (_service * 1e6 / items, _database * 1e6 / items);

    private static double ServiceNow()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }
}
