namespace Timeline.Api.ReadModel;

/// <summary>
/// The rows of many streams, encoded for the read model's three COPYs, with how many events and streams gave them.
/// A rebuild's folding threads each fill one at a time and send it on once it holds enough version rows; the version
/// rows' copier and the change rows' copier each give back the buffers they copied (disposing the whole chunk gives
/// back all three).
/// </summary>
internal sealed class CopyChunk(int versionBytes, int changeBytes, int topicBytes) : IDisposable
{
    /// <summary>A chunk sized for a rebuild's chunks of 20,000 version rows (about 600 bytes each), so that it rarely grows.</summary>
    public CopyChunk()
        : this(16 << 20, 4 << 20, 256 << 10)
    {
    }

    public CopyRows Versions { get; } = new(versionBytes);

    public CopyRows Changes { get; } = new(changeBytes);

    public CopyRows Topics { get; } = new(topicBytes);

    public long Events { get; private set; }

    public long Streams { get; private set; }

    /// <summary>A chunk holding exactly <paramref name="rows"/> (a rebuild's catch-up).</summary>
    public static CopyChunk Of(RowChanges rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var chunk = new CopyChunk(rows.InsertedVersions.Count * 640, rows.InsertedChanges.Count * 384, rows.Topics.Count * 64);
        chunk.Add(rows, events: 0);
        return chunk;
    }

    /// <summary>Encodes one stream's rows; <paramref name="events"/> is how many events it had.</summary>
    public void Add(RowChanges rows, int events)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows.InsertedVersions)
        {
            Versions.Add(row);
        }

        foreach (var row in rows.InsertedChanges)
        {
            Changes.Add(row);
        }

        foreach (var (topic, policyId) in rows.Topics)
        {
            Topics.Add(topic, policyId);
        }

        Events += events;
        Streams++;
    }

    public void Dispose()
    {
        Versions.Dispose();
        Changes.Dispose();
        Topics.Dispose();
    }
}
