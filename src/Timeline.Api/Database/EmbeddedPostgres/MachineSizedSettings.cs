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
        var withoutReplicas = !WalShipping.Any(given.ContainsKey);
        foreach (var (name, value) in For(memoryBytes))
        {
            if (withoutReplicas || !WithoutReplicas.ContainsKey(name))
            {
                settings.TryAdd(name, value);
            }
        }

        return settings;
    }

    /// <summary>
    /// Settings that keep WAL for standbys, archives and <c>pg_basebackup</c>: an operator who names any of them means
    /// to ship WAL, and <see cref="WithoutReplicas"/> is left out (PostgreSQL refuses to start with <c>archive_mode</c>
    /// on and <c>wal_level = minimal</c>).
    /// </summary>
    private static readonly string[] WalShipping = ["wal_level", "max_wal_senders", "archive_mode"];

    /// <summary>
    /// WAL for crash recovery only: no standby and no WAL archive reads this server's WAL. Then a COPY into a table
    /// created or emptied in the same transaction, and an index built on it, write their pages once and sync them at
    /// the commit instead of also writing every row to the WAL: the rebuild fills its shadow tables that way. In
    /// <c>psql</c>, 3.4 million version rows: COPY 3.9 to 5.6 s (and a 1.1 s sync at the commit) against 9.9 to 12.1 s,
    /// the bounds index 6.0 to 6.2 s against 8.7 to 9.6 s. The rebuild at a million events: 49 s on average against 56
    /// (docs/performance.md).
    /// </summary>
    private static readonly Dictionary<string, string> WithoutReplicas = new(StringComparer.Ordinal)
    {
        ["wal_level"] = "minimal",
        ["max_wal_senders"] = "0",
    };

    /// <summary>
    /// A sixth of the memory for shared buffers (128 MB to 4 GB), checkpoints far enough apart for bulk writes, and the
    /// WAL writer awake every 10 ms instead of 200 while there is WAL to write: a batch of the bulk import writes about 6 MB
    /// of WAL in a quarter of a second, and with the default the WAL writer slept through most of it, leaving the commit
    /// to write and flush it all on the batch's own backend (docs/performance.md). It sleeps as before when nothing is written.
    /// And WAL for crash recovery only (<see cref="WithoutReplicas"/>).
    /// </summary>
    public static IReadOnlyDictionary<string, string> For(long memoryBytes) => new Dictionary<string, string>(WithoutReplicas, StringComparer.Ordinal)
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
