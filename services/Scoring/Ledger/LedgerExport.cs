using System.Globalization;
using Ops.Contracts.Sla;
using Ops.Hosting.Http;
using Ops.Hosting.Http.Exports;
using Ops.Scoring.Assessment;

namespace Ops.Scoring.Ledger;

/// <summary>A ledger entry as an export writes it: the entry it takes back named by its number, which people can find in the same file.</summary>
public sealed record LedgerLine
{
    public long EntryNo { get; init; }
    public int Item { get; init; }
    public long PointsHundredths { get; init; }
    public DeductionSource Source { get; init; }
    public string Reason { get; init; } = "";
    public string? TicketNumber { get; init; }
    public ClockKind? Clock { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    public DateTimeOffset? BreachedAt { get; init; }
    public long? CompensatesEntryNo { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public string RecordedBy { get; init; } = "";
}

/// <summary>The columns of a ledger export, in Chinese.</summary>
public static class LedgerExport
{
    public static IReadOnlyList<ExportColumn<LedgerLine>> Columns(ContractTerms terms) =>
    [
        new("序号", e => e.EntryNo, ExportKind.Number, Width: 8),
        new("考核项目", e => ItemName(terms, e.Item), Width: 28),
        new("分值", e => e.PointsHundredths / 100m, ExportKind.Number, Width: 8, NumberFormat: "0.00"),
        new("来源", e => Deduction.SourceName(e.Source), Width: 10),
        new("原因", e => e.Reason, Width: 60),
        new("工单号", e => e.TicketNumber, Width: 16),
        new("时限类型", e => ClockName(e.Clock), Width: 10),
        new("时限", e => e.Deadline, ExportKind.Time),
        new("超时时间", e => e.BreachedAt, ExportKind.Time),
        new("冲抵条目", e => e.CompensatesEntryNo, ExportKind.Number, Width: 10),
        new("发生时间", e => e.OccurredAt, ExportKind.Time),
        new("记录时间", e => e.RecordedAt, ExportKind.Time),
        new("记录人", e => e.RecordedBy, Width: 14),
    ];

    /// <summary>扣分台账-OTQ-2026-OPS-20261202 (the day in Shanghai).</summary>
    public static string FileName(ContractTerms terms, DateTimeOffset now) =>
        $"扣分台账-{terms.Code}-{ShanghaiTimeConverter.ToShanghai(now).ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";

    private static string ItemName(ContractTerms terms, int item) =>
        terms.Assessment.Items.FirstOrDefault(i => i.Number == item) is { } known
            ? string.Create(CultureInfo.InvariantCulture, $"{item} {known.Name}")
            : item.ToString(CultureInfo.InvariantCulture);

    private static string? ClockName(ClockKind? clock) => clock switch
    {
        ClockKind.Response => "响应",
        ClockKind.Repair => "修复",
        ClockKind.Completion => "办结",
        null => null,
        _ => clock.ToString()!.ToLowerInvariant(),
    };
}
