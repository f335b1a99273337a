using System.Globalization;

namespace Timeline.Benchmarks;

/// <summary>
/// Whether the work directory's disk can hold a run, checked before it starts: a run that fills the disk fails hours
/// in, at the rebuild, which holds the old read model and the new one until it commits.
/// </summary>
internal static class DiskSpace
{
    /// <summary>
    /// Bytes a run needs per event at its peak (the rebuild): the log, the audit chain and the read model twice.
    /// Measured: the 10m run's data directory peaked at 76.5 GB (sampled every 15 s) as the rebuild built its indexes
    /// beside the live read model, 4.1 GB of it WAL, so about 7,200 bytes per event and the WAL; the digests that check
    /// the rebuild's rows spill less (68 GB before it, 60.5 GB after). The 5m run, before the version rows lost an index
    /// and the states became text, peaked at 40.3 GiB (about 7,500 bytes per event).
    /// </summary>
    private const long BytesPerEvent = 7_700;

    /// <summary>Write-ahead log kept between checkpoints (max_wal_size) and slack.</summary>
    private const long Fixed = 6L << 30;

    public static long Needed(long events) => (events * BytesPerEvent) + Fixed;

    /// <summary>Null when the run fits; otherwise why not, with the figures.</summary>
    public static string? Shortfall(string work, long events)
    {
        var held = Directory.Exists(work)
            ? new DirectoryInfo(work).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }).Sum(file => file.Length)
            : 0;
        var needed = Math.Max(0, Needed(events) - held);
        var free = new DriveInfo(Path.GetFullPath(work)).AvailableFreeSpace;
        return free >= needed
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"{events:N0} events need about {Gigabytes(Needed(events))} of disk at the rebuild ({Gigabytes(held)} already in {work}); {Gigabytes(free)} is free. Free space, choose another --work, or pass --skip-disk-check.");
    }

    private static string Gigabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F1} GiB");
}
