using System.Security.Cryptography;

namespace Ops.Hosting.Archive;

/// <summary>
/// The yearly archive's keys and its offline check, in every service: <c>admin new-archive-key</c>,
/// <c>admin verify-archive --archive FILE --public-key FILE</c>; scoring adds <c>admin archive-key</c>
/// (<see cref="KeyVerb"/>). None touches a store or the broker.
/// </summary>
public static class ArchiveCommands
{
    public const string NewKeyVerb = "new-archive-key";
    public const string KeyVerb = "archive-key";
    public const string VerifyVerb = "verify-archive";

    /// <summary>The exit code of an archive that fails its check.</summary>
    public const int NotIntact = 2;

    /// <summary>Prints a new key pair: the public half as PEM for the bureau, the private half as the line of scoring's environment.</summary>
    public static async Task<int> NewKey(IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output)
    {
        var (privateKey, publicKeyPem) = ArchiveSignature.NewKeyPair();
        await Console.Error.WriteLineAsync("The public key (give it to the bureau; admin verify-archive checks archives with it):");
        await output.WriteLineAsync(publicKeyPem);
        await Console.Error.WriteLineAsync("The private key (scoring's environment only, never the repository; shown once):");
        await output.WriteLineAsync($"Archive__SigningKey={privateKey}");
        return 0;
    }

    /// <summary>Checks an archive with the public key alone; names every file changed, added or removed. Exit code 0 when intact, 2 when not.</summary>
    public static async Task<int> Verify(IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output)
    {
        var path = Path.GetFullPath(options.Required("archive"));
        var keyPath = Path.GetFullPath(options.Required("public-key"));
        ECDsa key;
        try
        {
            key = ArchiveSignature.ImportPublic(await File.ReadAllTextAsync(keyPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new ArgumentException($"--public-key {keyPath}: not an ECDSA P-256 public key in PEM ({e.Message}).");
        }

        using (key)
        {
            ArchiveCheck check;
            try
            {
                await using var archive = File.OpenRead(path);
                check = await ArchiveVerifier.VerifyAsync(archive, key);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"{path}: cannot be read: {e.Message}");
                return NotIntact;
            }

            await WriteAsync(path, check, output);
            return check.Intact ? 0 : NotIntact;
        }
    }

    private static async Task WriteAsync(string path, ArchiveCheck check, TextWriter output)
    {
        if (check.Manifest is { } manifest)
        {
            await output.WriteLineAsync($"{path}: contract {manifest.Contract}, service year {manifest.Year} ({manifest.FirstDay:yyyy-MM-dd} – {manifest.LastDay:yyyy-MM-dd}), made {manifest.CreatedAt.UtcDateTime:O} by {manifest.CreatedBy}, {manifest.Files.Count} files");
            foreach (var chain in manifest.Chains)
            {
                await output.WriteLineAsync($"  chain {chain.Service}/{chain.Chain}: {chain.LastSeq} entries, head {chain.LastHash}");
            }
        }

        await output.WriteLineAsync(check.SignatureValid ? "  signature: valid" : "  signature: NOT VALID");
        foreach (var problem in check.Problems)
        {
            await output.WriteLineAsync($"  problem: {problem}");
        }

        foreach (var (label, names) in new[] { ("changed", check.Changed), ("added", check.Added), ("removed", check.Removed) })
        {
            foreach (var name in names)
            {
                await output.WriteLineAsync($"  {label}: {name}");
            }
        }

        await output.WriteLineAsync(check.Intact ? "The archive is intact." : "The archive is NOT intact.");
    }
}
