using System.Security.Cryptography;
using System.Text;
using Ops.Hosting.Audit;
using Ops.Hosting.Http;

namespace Ops.Scoring.Reports;

/// <summary>
/// One stored version of a report: what period it covers, when and by whom it was made, its workbook's SHA-256,
/// and (when read with them) its figures as JSON and the workbook itself. Never changed or deleted; each is sealed
/// into the <see cref="ReportStore.Chain"/> evidence chain when stored.
/// </summary>
public sealed record Report : IChainedEntry
{
    public required Guid Id { get; init; }
    public required string Contract { get; init; }
    public required ReportKind Kind { get; init; }

    /// <summary>The period's key: <c>2026-03</c>, <c>Q1</c>, <c>2026</c>.</summary>
    public required string Period { get; init; }

    /// <summary>The site of a per-site report; empty for the whole contract.</summary>
    public required string SiteCode { get; init; }

    public required int Version { get; init; }
    public required bool InProgress { get; init; }
    public required DateTimeOffset PeriodFrom { get; init; }
    public required DateTimeOffset PeriodTo { get; init; }
    public required DateTimeOffset AsOf { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }
    public required string GeneratedBy { get; init; }
    public required string GeneratedById { get; init; }

    /// <summary>The SHA-256 of the workbook's bytes, as 64 lower-case hex digits.</summary>
    public required string Sha256 { get; init; }

    public required long Bytes { get; init; }

    /// <summary>The figures as the API serves them (JSON); null when not read.</summary>
    public string? Figures { get; init; }

    /// <summary>The workbook; null when not read.</summary>
    public byte[]? Workbook { get; init; }

    public long? ChainSeq { get; init; }
    public string? PrevHash { get; init; }
    public string? Hash { get; init; }

    /// <summary>How the kind is written in the API and the store.</summary>
    public static string KindName(ReportKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>What a kind is called in Chinese.</summary>
    public static string KindTitle(ReportKind kind) => kind switch
    {
        ReportKind.Month => "月报",
        ReportKind.Quarter => "季报",
        ReportKind.Year => "年度报告",
        _ => KindName(kind),
    };

    public static string Digest(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public string Describe() => L10n.Of(
        $"报表 {Contract}{(SiteCode.Length == 0 ? "" : $" {SiteCode}")} {KindTitle(Kind)} {Period} 第 {Version} 版",
        $"report {Contract}{(SiteCode.Length == 0 ? "" : $" {SiteCode}")} {KindName(Kind)} {Period} version {Version}");

    /// <summary>
    /// The seal covers the recorded SHA-256 and also the digests of the workbook and the figures as stored, so a
    /// workbook or figures replaced behind the service's back break the chain as an edited column does.
    /// </summary>
    public string Content() => EvidenceChain.Content(
        Id, Contract, KindName(Kind), Period, SiteCode, Version, InProgress ? 1 : 0, PeriodFrom, PeriodTo, AsOf, Sha256, Bytes,
        Workbook is null ? null : Digest(Workbook), Figures is null ? null : Digest(Encoding.UTF8.GetBytes(Figures)),
        GeneratedAt, GeneratedBy, GeneratedById);
}
