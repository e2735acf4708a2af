using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ops.Hosting.Archive;

/// <summary>
/// What <c>manifest.json</c> in a yearly archive says of it: the contract and service year, when and by whom it was made
/// (UTC), each evidence chain's head at that time, and the size and SHA-256 of every other file in the zip. Its exact bytes
/// are signed (<c>manifest.sig</c>, <see cref="ArchiveSignature"/>).
/// </summary>
public sealed record ArchiveManifest
{
    public const string FileName = "manifest.json";
    public const string SignatureFileName = "manifest.sig";
    public const string CurrentFormat = "ops-sla-archive/1";

    public string Format { get; init; } = CurrentFormat;

    public required string Contract { get; init; }

    /// <summary>The service year: the year its first day falls in.</summary>
    public required int Year { get; init; }

    public required DateOnly FirstDay { get; init; }

    public required DateOnly LastDay { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required string CreatedBy { get; init; }

    public required IReadOnlyList<ArchiveChainHead> Chains { get; init; }

    public required IReadOnlyList<ArchiveFile> Files { get; init; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new UtcTimeConverter() } };

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static ArchiveManifest? Read(byte[] bytes) => JsonSerializer.Deserialize<ArchiveManifest>(bytes, Json);
}

/// <summary>An evidence chain's head when the archive was made: the service that keeps it, its newest entry's number and hash.</summary>
public sealed record ArchiveChainHead(string Service, string Chain, long LastSeq, string LastHash);

/// <summary>One file of the archive, by its path in the zip.</summary>
public sealed record ArchiveFile(string Name, long Bytes, [property: JsonPropertyName("sha256")] string Sha256);
