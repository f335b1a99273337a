using System.Text;
using System.Text.Json;

namespace Timeline.Subscriber;

/// <summary>
/// The append-only file of handled messages, one JSON line each, and the durable record of what was handled: at start
/// it reads the message ids back, and a message whose id is there is not written again. A line is on disk (flushed
/// through to the device) before the broker hears the message was handled, so a crash in between only brings a
/// redelivery, which the file then recognises. A half-written last line (a crash mid-write) is cut off at start.
/// </summary>
public sealed class ChangeJournal : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<Guid> _handled = [];
    private readonly FileStream _file;

    public ChangeJournal(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        _file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        Load();
    }

    public string Path { get; }

    /// <summary>How many distinct messages the journal holds.</summary>
    public int Count
    {
        get
        {
            lock (_handled)
            {
                return _handled.Count;
            }
        }
    }

    /// <summary>How many deliveries of messages already handled were skipped since start.</summary>
    public int DuplicatesSkipped { get; private set; }

    public bool Contains(Guid messageId)
    {
        lock (_handled)
        {
            return _handled.Contains(messageId);
        }
    }

    /// <summary>Writes the message unless its id was handled before; false when it was (a redelivery).</summary>
    public async Task<bool> AppendOnceAsync<T>(Guid messageId, string messageType, T message, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Contains(messageId))
            {
                DuplicatesSkipped++;
                return false;
            }

            var line = JsonSerializer.Serialize(new JournalLine<T>(messageId, messageType, receivedAt, message), Json) + "\n";
            await _file.WriteAsync(Encoding.UTF8.GetBytes(line), cancellationToken);
            _file.Flush(flushToDisk: true);
            lock (_handled)
            {
                _handled.Add(messageId);
            }

            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _file.Dispose();
        _gate.Dispose();
    }

    private void Load()
    {
        using var reader = new StreamReader(_file, Encoding.UTF8, leaveOpen: true);
        long complete = 0;
        var text = reader.ReadToEnd();
        foreach (var line in text.Split('\n').SkipLast(1))
        {
            complete += Encoding.UTF8.GetByteCount(line) + 1;
            if (line.Length > 0 && JsonDocument.Parse(line).RootElement.TryGetProperty("messageId", out var id))
            {
                _handled.Add(id.GetGuid());
            }
        }

        _file.SetLength(complete); // drop a line a crash left half-written
        _file.Seek(0, SeekOrigin.End);
    }

    private sealed record JournalLine<T>(Guid MessageId, string MessageType, DateTimeOffset ReceivedAt, T Message);
}
