using System.Globalization;

namespace Timeline.Benchmarks.Measuring;

/// <summary>
/// CPU time (user and system) spent by a set of processes, from <c>/proc/PID/stat</c>: what a load test cost the
/// service and the database, so a rate can be explained as CPU per request on a machine whose cores they share.
/// </summary>
public static class CpuTime
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux this runs on.

    /// <summary>Seconds of CPU spent so far by the process with <paramref name="pid"/> (0 once it has gone).</summary>
    public static double OfProcess(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may hold spaces: fields are counted after its closing one.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>Seconds of CPU spent so far by every process named <paramref name="name"/> (PostgreSQL's server and backends).</summary>
    public static double OfProcessesNamed(string name) =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(d => d!.All(char.IsAsciiDigit))
            .Select(d => int.Parse(d!, CultureInfo.InvariantCulture))
            .Where(pid => CommandName(pid) == name)
            .Sum(OfProcess);

    private static string? CommandName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
