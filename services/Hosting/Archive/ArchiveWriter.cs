using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Ops.Hosting.Archive;

/// <summary>
/// Writes a yearly archive as a zip, forward only (the HTTP response or a file): each file is compressed and hashed as
/// it is written, so a year of a million tickets is never held in memory; the manifest of every file's size and SHA-256
/// goes last, signed.
/// </summary>
public sealed class ArchiveWriter : IAsyncDisposable
{
    private readonly ZipArchive zip;
    private readonly DateTimeOffset createdAt;
    private readonly List<ArchiveFile> files = [];

    public ArchiveWriter(Stream output, DateTimeOffset createdAt)
    {
        zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
        this.createdAt = createdAt;
    }

    public IReadOnlyList<ArchiveFile> Files => files;

    /// <summary>
    /// Lets <paramref name="write"/> write to the response body as it goes; the few bytes a zip or a CSV writer writes
    /// synchronously (an entry's end, the zip's directory) wait for the next asynchronous write, as the server requires.
    /// </summary>
    public static async Task WriteToResponseAsync(Microsoft.AspNetCore.Http.HttpResponse response, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var body = new Http.Exports.AsyncOnlyStream(response.Body);
        await write(body, cancellationToken);
        await body.FlushAsync(cancellationToken);
    }

    /// <summary>Adds the file <paramref name="name"/> (a path inside the zip) with what <paramref name="write"/> writes.</summary>
    public async Task AddAsync(string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        if (name is ArchiveManifest.FileName or ArchiveManifest.SignatureFileName || files.Any(f => f.Name == name))
        {
            throw new InvalidOperationException($"The archive already has a file {name}.");
        }

        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = createdAt;
        await using (var stream = await entry.OpenAsync(cancellationToken))
        {
            using var hashing = new HashingStream(stream);
            await write(hashing, cancellationToken);
            await hashing.FlushAsync(cancellationToken);
            files.Add(new ArchiveFile(name, hashing.Bytes, hashing.Digest()));
        }
    }

    /// <summary>Writes <c>manifest.json</c> (with every file added) and its signature, and ends the zip.</summary>
    public async Task<ArchiveManifest> FinishAsync(ArchiveManifest manifest, ECDsa signingKey, CancellationToken cancellationToken)
    {
        manifest = manifest with { Files = [.. files] };
        var bytes = manifest.ToBytes();
        await WriteEntryAsync(ArchiveManifest.FileName, bytes, cancellationToken);
        await WriteEntryAsync(ArchiveManifest.SignatureFileName, Encoding.ASCII.GetBytes(ArchiveSignature.Sign(signingKey, bytes) + "\n"), cancellationToken);
        await zip.DisposeAsync();
        return manifest;
    }

    private async Task WriteEntryAsync(string name, byte[] bytes, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = createdAt;
        await using var stream = await entry.OpenAsync(cancellationToken);
        await stream.WriteAsync(bytes, cancellationToken);
    }

    public ValueTask DisposeAsync() => zip.DisposeAsync();

    /// <summary>Passes what is written on to the zip entry, counting and hashing it; closing it leaves the entry open (a CSV writer closes what it writes to).</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long Bytes { get; private set; }

        public string Digest() => Convert.ToHexStringLower(hash.GetHashAndReset());

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            Bytes += buffer.Length;
            inner.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            hash.AppendData(buffer.Span);
            Bytes += buffer.Length;
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Bytes; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
