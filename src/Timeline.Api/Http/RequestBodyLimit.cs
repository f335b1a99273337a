namespace Timeline.Api.Http;

/// <summary>
/// Caps the body of the endpoints that carry this metadata, whatever the server: a declared length over
/// the cap is refused before reading, and a streamed body is cut off when it passes the cap. Either way
/// the caller gets a 413.
/// </summary>
public sealed record RequestBodyLimit(long MaxBytes)
{
    public static IApplicationBuilder UseRequestBodyLimits(IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<RequestBodyLimit>();
            if (limit is not null)
            {
                if (context.Request.ContentLength > limit.MaxBytes)
                {
                    throw TooLarge(limit);
                }

                context.Request.Body = new LimitedStream(context.Request.Body, limit);
            }

            await next(context);
        });

    private static BadHttpRequestException TooLarge(RequestBodyLimit limit) =>
        new($"A write body may hold at most {limit.MaxBytes / 1024} KiB.", StatusCodes.Status413PayloadTooLarge);

    private sealed class LimitedStream(Stream inner, RequestBodyLimit limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > limit.MaxBytes ? throw TooLarge(limit) : read;
        }
    }
}
