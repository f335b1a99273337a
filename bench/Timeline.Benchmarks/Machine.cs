using System.Diagnostics;
using System.Globalization;

namespace Timeline.Benchmarks;

/// <summary>What the figures were measured on.</summary>
internal static class Machine
{
    /// <summary>The moment, as the tables print it (sortable, to the minute).</summary>
    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]
            : null;
        var gib = memory is null ? "?" : (long.Parse(memory, CultureInfo.InvariantCulture) / 1024.0 / 1024).ToString("F0", CultureInfo.InvariantCulture);
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        return $"{Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), {gib} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, PostgreSQL 15 on the same machine, load average {load} at the start";
    }

    public static string Commit(string root)
    {
        try
        {
            var start = new ProcessStartInfo("git", "rev-parse --short HEAD") { WorkingDirectory = root, RedirectStandardOutput = true };
            using var git = Process.Start(start)!;
            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return commit.Length > 0 ? commit : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
