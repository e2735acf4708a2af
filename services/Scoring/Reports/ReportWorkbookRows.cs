using MiniExcelLibs.Attributes;

namespace Ops.Scoring.Reports;

/// <summary>The workbook's formats: Excel's own codes, so a cell stays a number or a date people can sum and sort.</summary>
internal static class CellFormats
{
    public const string Time = "yyyy-mm-dd hh:mm";
    /// <summary>¥#,##0.00 as Excel shows it: MiniExcel's format check knows only $, € and £ unquoted, and writes text for a format it refuses.</summary>
    public const string Money = "\"¥\"#,##0.00";
    public const string Points = "0.00";
    public const string Rate = "0.00";
    public const string Minutes = "0.0";
}

/// <summary>
/// A row of 概览: blocks one under another (the contract, the figures by severity, site and system, the items, the
/// assessment, the previous period, the tickets open at the end), each filling the columns it has; one format per column.
/// </summary>
internal sealed record OverviewRow
{
    [ExcelColumn(Name = "分类", Width = 14)] public string Block { get; init; } = "";
    [ExcelColumn(Name = "项目", Width = 30)] public string Label { get; init; } = "";
    [ExcelColumn(Name = "说明", Width = 40)] public string? Note { get; init; }
    [ExcelColumn(Name = "金额", Width = 16, Format = CellFormats.Money)] public decimal? Money { get; init; }
    [ExcelColumn(Name = "时间", Width = 17, Format = CellFormats.Time)] public DateTime? Time { get; init; }
    [ExcelColumn(Name = "故障数", Width = 9)] public long? Faults { get; init; }
    [ExcelColumn(Name = "已响应", Width = 9)] public long? Responded { get; init; }
    [ExcelColumn(Name = "按时响应", Width = 10)] public long? RespondedOnTime { get; init; }
    [ExcelColumn(Name = "响应率(%)", Width = 11, Format = CellFormats.Rate)] public decimal? ResponseRate { get; init; }
    [ExcelColumn(Name = "已修复", Width = 9)] public long? Repaired { get; init; }
    [ExcelColumn(Name = "按时修复", Width = 10)] public long? RepairedOnTime { get; init; }
    [ExcelColumn(Name = "修复率(%)", Width = 11, Format = CellFormats.Rate)] public decimal? RepairRate { get; init; }
    [ExcelColumn(Name = "超时未结", Width = 10)] public long? OpenBreaches { get; init; }
    [ExcelColumn(Name = "重开", Width = 7)] public long? Reopened { get; init; }
    [ExcelColumn(Name = "平均响应(分钟)", Width = 15, Format = CellFormats.Minutes)] public decimal? MeanAcknowledge { get; init; }
    [ExcelColumn(Name = "P90响应(分钟)", Width = 15, Format = CellFormats.Minutes)] public decimal? P90Acknowledge { get; init; }
    [ExcelColumn(Name = "平均修复(分钟)", Width = 15, Format = CellFormats.Minutes)] public decimal? MeanRepair { get; init; }
    [ExcelColumn(Name = "P90修复(分钟)", Width = 15, Format = CellFormats.Minutes)] public decimal? P90Repair { get; init; }
    [ExcelColumn(Name = "服务请求", Width = 10)] public long? Requests { get; init; }
    [ExcelColumn(Name = "已办结", Width = 9)] public long? Completed { get; init; }
    [ExcelColumn(Name = "按时办结", Width = 10)] public long? CompletedOnTime { get; init; }
    [ExcelColumn(Name = "办结率(%)", Width = 11, Format = CellFormats.Rate)] public decimal? CompletionRate { get; init; }
    [ExcelColumn(Name = "自动扣分", Width = 10, Format = CellFormats.Points)] public decimal? Automatic { get; init; }
    [ExcelColumn(Name = "人工扣分", Width = 10, Format = CellFormats.Points)] public decimal? Manual { get; init; }
    [ExcelColumn(Name = "豁免", Width = 9, Format = CellFormats.Points)] public decimal? Waived { get; init; }
    [ExcelColumn(Name = "扣分", Width = 9, Format = CellFormats.Points)] public decimal? Points { get; init; }
}

/// <summary>A row of 超时明细.</summary>
internal sealed record BreachRow
{
    [ExcelColumn(Name = "工单号", Width = 18)] public string TicketNumber { get; init; } = "";
    [ExcelColumn(Name = "类型", Width = 9)] public string Kind { get; init; } = "";
    [ExcelColumn(Name = "严重程度", Width = 9)] public string Severity { get; init; } = "";
    [ExcelColumn(Name = "站点", Width = 8)] public string Site { get; init; } = "";
    [ExcelColumn(Name = "系统", Width = 24)] public string System { get; init; } = "";
    [ExcelColumn(Name = "计时", Width = 7)] public string Clock { get; init; } = "";
    [ExcelColumn(Name = "报修时间", Width = 17, Format = CellFormats.Time)] public DateTime ReportedAt { get; init; }
    [ExcelColumn(Name = "截止时间", Width = 17, Format = CellFormats.Time)] public DateTime Deadline { get; init; }
    [ExcelColumn(Name = "超时时间", Width = 17, Format = CellFormats.Time)] public DateTime BreachedAt { get; init; }
    [ExcelColumn(Name = "完成时间", Width = 17, Format = CellFormats.Time)] public DateTime? StoppedAt { get; init; }
    [ExcelColumn(Name = "超时(分钟)", Width = 11, Format = CellFormats.Minutes)] public decimal OverrunMinutes { get; init; }
    [ExcelColumn(Name = "考核项", Width = 8)] public int? Item { get; init; }
    [ExcelColumn(Name = "扣分", Width = 8, Format = CellFormats.Points)] public decimal Points { get; init; }
    [ExcelColumn(Name = "已豁免", Width = 8)] public string Waived { get; init; } = "";
}

/// <summary>A row of 扣分明细.</summary>
internal sealed record LedgerRow
{
    [ExcelColumn(Name = "台账序号", Width = 10)] public long EntryNo { get; init; }
    [ExcelColumn(Name = "考核项", Width = 8)] public int Item { get; init; }
    [ExcelColumn(Name = "扣分", Width = 8, Format = CellFormats.Points)] public decimal Points { get; init; }
    [ExcelColumn(Name = "来源", Width = 10)] public string Source { get; init; } = "";
    [ExcelColumn(Name = "原因", Width = 60)] public string Reason { get; init; } = "";
    [ExcelColumn(Name = "工单号", Width = 18)] public string? TicketNumber { get; init; }
    [ExcelColumn(Name = "计时", Width = 7)] public string? Clock { get; init; }
    [ExcelColumn(Name = "发生时间", Width = 17, Format = CellFormats.Time)] public DateTime OccurredAt { get; init; }
    [ExcelColumn(Name = "记录时间", Width = 17, Format = CellFormats.Time)] public DateTime RecordedAt { get; init; }
    [ExcelColumn(Name = "记录人", Width = 12)] public string RecordedBy { get; init; } = "";
    [ExcelColumn(Name = "条目编号", Width = 38)] public string Id { get; init; } = "";
    [ExcelColumn(Name = "冲销条目", Width = 38)] public string? Compensates { get; init; }
}

/// <summary>A row of 工单明细: a fault's response and repair clocks, a request's response and completion.</summary>
internal sealed record TicketRow
{
    [ExcelColumn(Name = "工单号", Width = 18)] public string TicketNumber { get; init; } = "";
    [ExcelColumn(Name = "类型", Width = 9)] public string Kind { get; init; } = "";
    [ExcelColumn(Name = "严重程度", Width = 9)] public string Severity { get; init; } = "";
    [ExcelColumn(Name = "站点", Width = 8)] public string Site { get; init; } = "";
    [ExcelColumn(Name = "系统", Width = 24)] public string System { get; init; } = "";
    [ExcelColumn(Name = "报修时间", Width = 17, Format = CellFormats.Time)] public DateTime ReportedAt { get; init; }
    [ExcelColumn(Name = "响应时限", Width = 17, Format = CellFormats.Time)] public DateTime? ResponseDeadline { get; init; }
    [ExcelColumn(Name = "响应状态", Width = 9)] public string? ResponseState { get; init; }
    [ExcelColumn(Name = "响应时间", Width = 17, Format = CellFormats.Time)] public DateTime? RespondedAt { get; init; }
    [ExcelColumn(Name = "修复/办结时限", Width = 17, Format = CellFormats.Time)] public DateTime? RepairDeadline { get; init; }
    [ExcelColumn(Name = "修复/办结状态", Width = 13)] public string? RepairState { get; init; }
    [ExcelColumn(Name = "修复/办结时间", Width = 17, Format = CellFormats.Time)] public DateTime? RepairedAt { get; init; }
}
