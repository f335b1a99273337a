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
    public static double OfProcess(int pid) => Of(pid, withExitedChildren: false);

    /// <summary>
    /// Seconds of CPU spent so far by every process named <paramref name="name"/> (PostgreSQL's server and backends),
    /// with their exited children's: a backend that closes during a measurement leaves its CPU to the server's count
    /// of exited children, where a sum over the live processes alone lost it (and once came out negative).
    /// </summary>
    public static double OfProcessesNamed(string name) =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(d => d!.All(char.IsAsciiDigit))
            .Select(d => int.Parse(d!, CultureInfo.InvariantCulture))
            .Where(pid => CommandName(pid) == name)
            .Sum(pid => Of(pid, withExitedChildren: true));

    private static double Of(int pid, bool withExitedChildren)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may hold spaces: fields are counted after its closing one. From
            // there, 11 and 12 are the process's user and system time, 13 and 14 those of its children it has waited for.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            if (withExitedChildren)
            {
                ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            }

            return ticks / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

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
