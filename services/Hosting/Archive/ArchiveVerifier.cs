using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ops.Hosting.Archive;

/// <summary>What checking an archive found: whether its manifest's signature holds, and every file changed, added or removed.</summary>
public sealed record ArchiveCheck(ArchiveManifest? Manifest, bool SignatureValid, IReadOnlyList<string> Problems, IReadOnlyList<string> Changed, IReadOnlyList<string> Added, IReadOnlyList<string> Removed)
{
    public bool Intact => SignatureValid && Problems.Count == 0 && Changed.Count == 0 && Added.Count == 0 && Removed.Count == 0;
}

/// <summary>
/// Checks a yearly archive offline with the public key alone: <c>manifest.sig</c> must be the key's signature of
/// <c>manifest.json</c>'s exact bytes, and every file must be there with the size and SHA-256 the manifest gives, and no
/// other file.
/// </summary>
public static class ArchiveVerifier
{
    public static async Task<ArchiveCheck> VerifyAsync(Stream archive, ECDsa publicKey, CancellationToken cancellationToken = default)
    {
        ZipArchive zip;
        try
        {
            zip = await ZipArchive.CreateAsync(archive, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: Encoding.UTF8, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            return new ArchiveCheck(null, false, [$"not a zip archive: {e.Message}"], [], [], []);
        }

        await using (zip)
        {
            var problems = new List<string>();
            var entries = zip.Entries.GroupBy(e => e.FullName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            var manifestBytes = await ReadAsync(entries, ArchiveManifest.FileName, cancellationToken);
            var signature = await ReadAsync(entries, ArchiveManifest.SignatureFileName, cancellationToken);
            if (manifestBytes is null)
            {
                return new ArchiveCheck(null, false, [$"{ArchiveManifest.FileName} is missing: not an archive of Ops SLA"], [], [], []);
            }

            var signatureValid = signature is not null && ArchiveSignature.Verify(publicKey, manifestBytes, Encoding.ASCII.GetString(signature));
            if (signature is null)
            {
                problems.Add($"{ArchiveManifest.SignatureFileName} is missing: the manifest is not signed");
            }
            else if (!signatureValid)
            {
                problems.Add($"{ArchiveManifest.FileName}: its signature does not match the public key (the manifest was changed, or another key signed it)");
            }

            foreach (var name in new[] { ArchiveManifest.FileName, ArchiveManifest.SignatureFileName })
            {
                if (entries.TryGetValue(name, out var copies) && copies.Count > 1)
                {
                    problems.Add($"{name} appears {copies.Count} times");
                }
            }

            ArchiveManifest? manifest;
            try
            {
                manifest = ArchiveManifest.Read(manifestBytes);
            }
            catch (JsonException e)
            {
                problems.Add($"{ArchiveManifest.FileName} cannot be read: {e.Message}");
                return new ArchiveCheck(null, signatureValid, problems, [], [], []);
            }

            var listed = manifest?.Files ?? [];
            var changed = new List<string>();
            var removed = new List<string>();
            foreach (var file in listed)
            {
                if (!entries.TryGetValue(file.Name, out var copies))
                {
                    removed.Add(file.Name);
                    continue;
                }

                var (bytes, sha256) = await HashAsync(copies[0], cancellationToken);
                if (bytes != file.Bytes || sha256 != file.Sha256)
                {
                    changed.Add(file.Name);
                }
            }

            var known = listed.Select(f => f.Name).Append(ArchiveManifest.FileName).Append(ArchiveManifest.SignatureFileName).ToHashSet(StringComparer.Ordinal);
            var added = entries.Where(e => !known.Contains(e.Key)).Select(e => e.Key)
                .Concat(entries.Where(e => known.Contains(e.Key) && e.Value.Count > 1 && listed.Any(f => f.Name == e.Key)).Select(e => $"{e.Key} (a second copy)"))
                .Order(StringComparer.Ordinal).ToList();
            return new ArchiveCheck(manifest, signatureValid, problems, changed, added, removed);
        }
    }

    private static async Task<byte[]?> ReadAsync(Dictionary<string, List<ZipArchiveEntry>> entries, string name, CancellationToken cancellationToken)
    {
        if (!entries.TryGetValue(name, out var copies))
        {
            return null;
        }

        await using var stream = await copies[0].OpenAsync(cancellationToken);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory, cancellationToken);
        return memory.ToArray();
    }

    private static async Task<(long Bytes, string Sha256)> HashAsync(ZipArchiveEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await entry.OpenAsync(cancellationToken);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[64 * 1024];
            long bytes = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                bytes += read;
            }

            return (bytes, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch (InvalidDataException)
        {
            // A file whose compressed bytes were changed cannot even be read: it was changed.
            return (-1, "");
        }
    }
}
