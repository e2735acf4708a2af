namespace Ops.Hosting.Http.Exports;

/// <summary>
/// The response body as MiniExcel writes to it. The rows go out as they are written (asynchronously); the few
/// bytes a writer writes synchronously when it closes (the end of a compressed sheet, the workbook's zip
/// directory, a text writer's last flush) wait here until <see cref="FlushAsync(CancellationToken)"/>, because the
/// server refuses synchronous writes. A workbook needs no seeking: MiniExcel zips it forward only, so no
/// temporary file is needed. Closing it (as a text writer does) leaves the response body open for the server.
/// </summary>
internal sealed class AsyncOnlyStream(Stream body) : Stream
{
    private readonly MemoryStream pending = new();
    private long written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        pending.Write(buffer);
        written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await WritePendingAsync(cancellationToken);
        await body.WriteAsync(buffer, cancellationToken);
        written += buffer.Length;
    }

    public override void Flush()
    {
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await WritePendingAsync(cancellationToken);
        await body.FlushAsync(cancellationToken);
    }

    private async Task WritePendingAsync(CancellationToken cancellationToken)
    {
        if (pending.Length > 0)
        {
            await body.WriteAsync(pending.GetBuffer().AsMemory(0, (int)pending.Length), cancellationToken);
            pending.SetLength(0);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
