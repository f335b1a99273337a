using System.Globalization;

namespace Timeline.Api.Database.EmbeddedPostgres;

/// <summary>
/// Server settings sized to the machine for a cluster that is ours alone. PostgreSQL's defaults (128 MB of shared
/// buffers, a checkpoint every 1 GB of WAL) suit a server that shares a small machine; a bulk import into the read
/// model outgrows the buffers at about 30,000 events. Measured gain: a few per cent at 100,000 events, none visible at
/// a million, where the import is bound by its statements (docs/performance.md). Settings the operator gives win over these.
/// </summary>
internal static class MachineSizedSettings
{
    private const long Megabyte = 1024 * 1024;

    /// <summary><paramref name="given"/> with the machine-sized settings it does not name added.</summary>
    public static IReadOnlyDictionary<string, string> With(IReadOnlyDictionary<string, string> given, long memoryBytes)
    {
        var settings = new Dictionary<string, string>(given, StringComparer.Ordinal);
        foreach (var (name, value) in For(memoryBytes))
        {
            settings.TryAdd(name, value);
        }

        return settings;
    }

    /// <summary>
    /// A sixth of the memory for shared buffers (128 MB to 4 GB), checkpoints far enough apart for bulk writes, and the
    /// WAL writer awake every 10 ms instead of 200 while there is WAL to write: a batch of the bulk import writes about 6 MB
    /// of WAL in a quarter of a second, and with the default the WAL writer slept through most of it, leaving the commit
    /// to write and flush it all on the batch's own backend (docs/performance.md). It sleeps as before when nothing is written.
    /// </summary>
    public static IReadOnlyDictionary<string, string> For(long memoryBytes) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["shared_buffers"] = Megabytes(Math.Clamp(memoryBytes / 6, 128 * Megabyte, 4096 * Megabyte)),
        ["max_wal_size"] = "4GB",
        ["checkpoint_timeout"] = "15min",
        ["wal_writer_delay"] = "10ms",
    };

    /// <summary>The memory this process may use: the machine's, or its container's limit.</summary>
    public static long AvailableMemory() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    private static string Megabytes(long bytes) => (bytes / Megabyte).ToString(CultureInfo.InvariantCulture) + "MB";
}
