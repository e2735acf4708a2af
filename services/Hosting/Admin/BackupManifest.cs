using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ops.Hosting.Admin;

/// <summary>
/// What <c>manifest.json</c> beside a backup says of it: when it was taken (UTC), of which service and store, the
/// schema versions applied, the head of each evidence chain, and the SHA-256 of every file of the backup.
/// </summary>
public sealed record BackupManifest
{
    public const string FileName = "manifest.json";

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The service's store name (<c>tickets</c>, <c>sla-timer</c>, <c>scoring</c>).</summary>
    public required string Service { get; init; }

    /// <summary><c>sqlite</c>, <c>postgres</c> or <c>sqlserver</c>.</summary>
    public required string Provider { get; init; }

    public required IReadOnlyList<SchemaVersion> Schema { get; init; }

    public required IReadOnlyList<ChainHead> Chains { get; init; }

    public required IReadOnlyList<BackupFile> Files { get; init; }

    /// <summary>On SQL Server: the backup file the server wrote, on the server's own disk (not hashed here).</summary>
    public string? ServerFile { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task WriteAsync(string folder, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(folder, FileName);
        await using var file = new FileStream(path, StoreBackup.NewOwnerOnlyFile());
        await JsonSerializer.SerializeAsync(file, this with { CreatedAt = CreatedAt.ToUniversalTime() }, Json, cancellationToken);
    }

    /// <summary>The manifest of the backup in <paramref name="folder"/>; refused when there is none or it cannot be read.</summary>
    public static async Task<BackupManifest> ReadAsync(string folder, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new BackupRefusedException($"{path} does not exist: not a backup.");
        }

        try
        {
            await using var file = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<BackupManifest>(file, Json, cancellationToken)
                ?? throw new BackupRefusedException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new BackupRefusedException($"{path} cannot be read: {e.Message}");
        }
    }

    /// <summary>A file's SHA-256, 64 lowercase hex digits.</summary>
    public static async Task<string> HashAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }
}

/// <summary>The highest schema script of one component applied to the store (<c>schema_migrations</c>).</summary>
public sealed record SchemaVersion
{
    public required string Component { get; init; }

    public required int Version { get; init; }
}

/// <summary>An evidence chain's head at the backup: its newest entry's sequence number and hash.</summary>
public sealed record ChainHead
{
    public required string Chain { get; init; }

    public required long LastSeq { get; init; }

    public required string LastHash { get; init; }
}

/// <summary>One file of a backup, by its name in the backup's folder.</summary>
public sealed record BackupFile
{
    public required string Name { get; init; }

    public required long Bytes { get; init; }

    [JsonPropertyName("sha256")]
    public required string Sha256 { get; init; }
}

/// <summary>A backup or restore the command will not do, with why; nothing was changed.</summary>
public sealed class BackupRefusedException(string message) : Exception(message);
