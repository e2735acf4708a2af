using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Ops.Hosting.Storage;

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
}
