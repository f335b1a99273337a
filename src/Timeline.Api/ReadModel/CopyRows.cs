using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Timeline.Api.ReadModel;

/// <summary>
/// Rows of one read-model table in PostgreSQL's binary COPY format, written straight into a pooled byte buffer by the
/// thread that folded them; <see cref="ReadModelCopy"/> sends the bytes as they are. Bound value by value through
/// Npgsql's importer, a rebuild's millions of rows stayed objects until the copier's one thread got to them (the garbage
/// collector traced them all the while) and every value cost that thread an awaited call; as bytes they are encoded on
/// every core and there is nothing in them to trace (docs/performance.md). Values are encoded as Npgsql encodes the
/// import's (strict UTF-8; instants in microseconds since 2000, the smallest and largest <see cref="DateTime"/> as
/// -infinity and infinity), so either path stores the same rows (<c>CopyRowsTests</c>).
/// Format: https://www.postgresql.org/docs/15/sql-copy.html (binary format).
/// </summary>
internal sealed class CopyRows : IDisposable
{
    /// <summary>The file header: signature, flags, header extension length.</summary>
    public static ReadOnlyMemory<byte> Header { get; } = new byte[] { (byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0 };

    /// <summary>The file trailer: a field count of -1.</summary>
    public static ReadOnlyMemory<byte> Trailer { get; } = new byte[] { 0xFF, 0xFF };

    // Npgsql's own encoding for text: it throws on a lone surrogate rather than writing a replacement character.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private const long PostgresEpochTicks = 630_822_816_000_000_000L;
    private const uint TextOid = 25;

    private byte[] _buffer;
    private int _length;

    public CopyRows(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    /// <summary>How many rows have been written.</summary>
    public int Count { get; private set; }

    /// <summary>The rows' bytes, without the header and trailer.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    /// <summary>A row of <c>policy_versions</c>, its columns in <see cref="ReadModelTables.Versions"/>' order.</summary>
    public void Add(VersionRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        StartRow(10);
        Text(row.PolicyId);
        Instant(row.ValidFrom);
        Instant(row.ValidTo);
        Instant(row.RecordedFrom);
        Instant(row.RecordedTo);
        Text(row.Status);
        Text(row.Kind);
        Text(row.Jurisdiction);
        TextArray(row.Topics);
        Utf8Text(row.State);
    }

    /// <summary>A row of <c>policy_changes</c>, its columns in <see cref="ReadModelTables.Changes"/>' order.</summary>
    public void Add(ChangeRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        StartRow(15);
        Text(row.PolicyId);
        Text(row.ChangeKey);
        Uuid(row.EventId);
        BigInt(row.Version);
        Text(row.Type);
        Instant(row.EffectiveAt);
        Instant(row.RecordedFrom);
        Instant(row.RecordedTo);
        Text(row.Summary);
        Text(row.Citation);
        Text(row.SourceUrl);
        Text(row.Kind);
        Text(row.Jurisdiction);
        TextArray(row.Topics);
        Text(row.Title);
    }

    /// <summary>A row of <c>policy_topics</c>, its columns in <see cref="ReadModelTables.Topics"/>' order: (topic, policy_id).</summary>
    public void Add(string topic, string policyId)
    {
        StartRow(2);
        Text(topic);
        Text(policyId);
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void StartRow(short fields)
    {
        BinaryPrimitives.WriteInt16BigEndian(Take(2), fields);
        Count++;
    }

    private void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }

        var field = Take(4 + Utf8.GetMaxByteCount(value.Length), reserveOnly: true);
        var written = Utf8.GetBytes(value, field[4..]);
        BinaryPrimitives.WriteInt32BigEndian(field, written);
        _length += 4 + written;
    }

    private void Utf8Text(byte[] value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Take(4), value.Length);
        value.CopyTo(Take(value.Length));
    }

    private void TextArray(string[] values)
    {
        // The field's length is known only once its elements are encoded: reserve it, then fill it in.
        var start = _length;
        Take(4);
        var header = Take(values.Length == 0 ? 12 : 20);
        BinaryPrimitives.WriteInt32BigEndian(header, values.Length == 0 ? 0 : 1); // dimensions (an empty array has none)
        BinaryPrimitives.WriteInt32BigEndian(header[4..], 0); // no nulls
        BinaryPrimitives.WriteUInt32BigEndian(header[8..], TextOid);
        if (values.Length > 0)
        {
            BinaryPrimitives.WriteInt32BigEndian(header[12..], values.Length);
            BinaryPrimitives.WriteInt32BigEndian(header[16..], 1); // lower bound
        }

        foreach (var value in values)
        {
            Text(value);
        }

        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(start), _length - start - 4);
    }

    private void Instant(DateTimeOffset? value)
    {
        if (value is not { } instant)
        {
            Null();
            return;
        }

        var ticks = instant.UtcTicks;
        var microseconds = ticks == DateTime.MaxValue.Ticks ? long.MaxValue
            : ticks == DateTime.MinValue.Ticks ? long.MinValue
            : (ticks - PostgresEpochTicks) / 10;
        Fixed(8, microseconds);
    }

    private void BigInt(long? value)
    {
        if (value is { } present)
        {
            Fixed(8, present);
        }
        else
        {
            Null();
        }
    }

    private void Uuid(Guid? value)
    {
        if (value is not { } present)
        {
            Null();
            return;
        }

        var field = Take(20);
        BinaryPrimitives.WriteInt32BigEndian(field, 16);
        present.TryWriteBytes(field[4..], bigEndian: true, out _);
    }

    private void Fixed(int size, long value)
    {
        var field = Take(4 + size);
        BinaryPrimitives.WriteInt32BigEndian(field, size);
        BinaryPrimitives.WriteInt64BigEndian(field[4..], value);
    }

    private void Null() => BinaryPrimitives.WriteInt32BigEndian(Take(4), -1);

    /// <summary>The next <paramref name="size"/> bytes of the buffer, grown if need be; counted as written unless only reserved.</summary>
    private Span<byte> Take(int size, bool reserveOnly = false)
    {
        if (_length + size > _buffer.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + size));
            _buffer.AsSpan(0, _length).CopyTo(grown);
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = grown;
        }

        var span = _buffer.AsSpan(_length, size);
        if (!reserveOnly)
        {
            _length += size;
        }

        return span;
    }
}
