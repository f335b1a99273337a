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

    /// <summary>Seconds of CPU this process spent in the intervals.</summary>
    public double ServiceSeconds => _service;

    /// <summary>Seconds of CPU PostgreSQL's processes (the server, its backends and workers) spent in the intervals.</summary>
    public double DatabaseSeconds => _database;

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

    /// <summary>Milliseconds of CPU per 1,000 of <paramref name="items"/>: this process's and PostgreSQL's.</summary>
    public (double Service, double Database) PerThousand(long items) =>
        items == 0 ? (double.NaN, double.NaN) : (_service * 1e6 / items, _database * 1e6 / items);

    private static double ServiceNow()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }
}
