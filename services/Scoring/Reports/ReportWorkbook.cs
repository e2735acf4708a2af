using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Http;
using Ops.Hosting.Http.Exports;
using Ops.Scoring.Compliance;
using Ops.Scoring.Ledger;

namespace Ops.Scoring.Reports;

/// <summary>A report as an Excel workbook: sheets 概览, 超时明细, 扣分明细 and 工单明细; the same figures give the same bytes.</summary>
public static partial class ReportWorkbook
{
    public static void Write(ReportFigures figures, Stream output)
    {
        var sheets = new Dictionary<string, object>
        {
            ["概览"] = Overview(figures),
            ["超时明细"] = figures.Breaches.Select(BreachRowOf),
            ["扣分明细"] = figures.Ledger.Select(LedgerRowOf),
            ["工单明细"] = figures.Tickets.Select(TicketRowOf),
        };
        var configuration = new OpenXmlConfiguration { FreezeRowCount = 1, AutoFilter = false, EnableWriteNullValueCell = false, BufferSize = ExportFile.WriterBufferChars };
        using var written = new MemoryStream();
        written.SaveAs(sheets, excelType: ExcelType.XLSX, configuration: configuration);
        written.Position = 0;
        Normalise(written, output, Local(figures.Period.From));
    }

    /// <summary>
    /// MiniExcel stamps each zip entry with the moment it was written and names the workbook's relations with random
    /// ids; a report must be the same bytes for the same figures (its SHA-256 is its evidence). So the entries are
    /// copied in their order with the period's start as their time and the ids numbered in the order they appear.
    /// </summary>
    private static void Normalise(Stream written, Stream output, DateTime stamp)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        using var source = new ZipArchive(written, ZipArchiveMode.Read);
        using var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in source.Entries)
        {
            var copy = target.CreateEntry(entry.FullName, CompressionLevel.Fastest);
            copy.LastWriteTime = new DateTimeOffset(stamp, TimeSpan.Zero);
            using var from = entry.Open();
            using var to = copy.Open();
            if (entry.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal))
            {
                // The sheets carry no relation ids, and may be large. Stream's default buffer (81,920 bytes) is rented
                // from the pool as 128 KB, on the large-object heap; 64 KB stays off it.
                from.CopyTo(to, 64 * 1024);
                continue;
            }

            using var reader = new StreamReader(from, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
            var text = RandomId().Replace(reader.ReadToEnd(), m => ids.TryGetValue(m.Value, out var id) ? id : ids[m.Value] = $"rIdR{ids.Count + 1}");
            using var writer = new StreamWriter(to, new UTF8Encoding(false));
            writer.Write(text);
        }
    }

    [GeneratedRegex("R[0-9a-f]{32}")]
    private static partial Regex RandomId();

    private static IEnumerable<OverviewRow> Overview(ReportFigures f)
    {
        yield return new() { Block = "合同", Label = "合同编号", Note = f.Contract };
        yield return new() { Block = "合同", Label = "项目名称", Note = f.Title };
        yield return new() { Block = "合同", Label = "甲方", Note = f.Bureau };
        yield return new() { Block = "合同", Label = "乙方", Note = f.Contractor };
        yield return new() { Block = "合同", Label = "合同金额", Money = f.Amount };
        yield return new() { Block = "合同", Label = "服务期", Note = $"{Day(f.ServiceStart)} 至 {Day(f.ServiceEnd)}" };
        yield return new() { Block = "报告", Label = "报告期", Note = f.Period.Name };
        yield return new() { Block = "报告", Label = "开始", Time = Local(f.Period.From) };
        yield return new() { Block = "报告", Label = "结束（不含）", Time = Local(f.Period.To) };
        yield return new() { Block = "报告", Label = "范围", Note = f.SiteCode is null ? "全合同" : $"站点 {f.SiteCode}" };
        yield return new() { Block = "报告", Label = "状态", Time = Local(f.AsOf), Note = f.InProgress ? "未结束：数据截至所示时间" : "已结束" };
        yield return new() { Block = "合同目标", Label = "响应、修复、办结按时率", ResponseRate = f.TargetRate, RepairRate = f.TargetRate, CompletionRate = f.TargetRate };
        yield return Figures("本期", "全部", f.Whole);
        foreach (var row in f.BySeverity)
        {
            yield return Figures("按严重程度", SeverityName(row.Severity?.ToString().ToLowerInvariant() ?? ""), row);
        }

        foreach (var row in f.BySite)
        {
            yield return Figures("按站点", row.SiteCode ?? "", row);
        }

        foreach (var row in f.BySystem)
        {
            yield return Figures("按系统", row.System ?? "", row);
        }

        foreach (var item in f.Items)
        {
            yield return new() { Block = "本期扣分", Label = $"{item.Item} {item.Name}（满分 {item.MaxPoints.ToString("0.##", CultureInfo.InvariantCulture)}）", Automatic = item.Automatic, Manual = item.Manual, Waived = item.Waived, Points = item.Net };
        }

        yield return new() { Block = "本期扣分", Label = "合计", Automatic = f.Items.Sum(i => i.Automatic), Manual = f.Items.Sum(i => i.Manual), Waived = f.Items.Sum(i => i.Waived), Points = f.Items.Sum(i => i.Net) };
        yield return new()
        {
            Block = "本期扣分",
            Label = "超时明细合计",
            Points = f.Breaches.Sum(b => b.Points),
            Note = "超时明细按扣分发生时间列入本期，其扣分之和等于扣分明细中带工单号条目（自动扣分、撤回及其豁免）之和",
        };
        foreach (var row in Assessment("考核（服务期初至期末）", f.Assessment))
        {
            yield return row;
        }

        if (f.Previous is { } previous)
        {
            yield return Figures("上期对比", previous.Period.Name, previous.Whole) with { Points = previous.PeriodDeduction, Note = "上期的本期扣分" };
            yield return Figures("上期对比", f.Period.Name, f.Whole) with { Points = f.Items.Sum(i => i.Net), Note = "本期扣分" };
            foreach (var row in Assessment("上期考核", previous.Assessment))
            {
                yield return row;
            }
        }

        foreach (var ticket in f.OpenAtEnd)
        {
            var clock = ticket.Repair;
            yield return new()
            {
                Block = "期末未结工单",
                Label = ticket.TicketNumber,
                Time = Local(ticket.ReportedAt),
                Note = $"{KindName(ticket.Kind)}{(ticket.Severity is "" ? "" : "（" + SeverityName(ticket.Severity) + "）")}，{ticket.SiteCode}，{ticket.System}；"
                    + (clock is null ? "" : $"{ClockName(clock.Clock)}时限 {Text(clock.Deadline)}，{StateName(clock.State)}{(clock.StoppedAt is { } stopped ? "，" + Text(stopped) + " 完成" : "")}"),
            };
        }
    }

    private static OverviewRow Figures(string block, string label, SlaCompliance s) => new()
    {
        Block = block,
        Label = label,
        Faults = s.Faults,
        Responded = s.Responded,
        RespondedOnTime = s.RespondedOnTime,
        ResponseRate = s.ResponseRate,
        Repaired = s.Repaired,
        RepairedOnTime = s.RepairedOnTime,
        RepairRate = s.RepairRate,
        OpenBreaches = s.OpenBreaches,
        Reopened = s.Reopened,
        MeanAcknowledge = s.MeanAcknowledgeMinutes,
        P90Acknowledge = s.P90AcknowledgeMinutes,
        MeanRepair = s.MeanRepairMinutes,
        P90Repair = s.P90RepairMinutes,
        Requests = s.Requests,
        Completed = s.Completed,
        CompletedOnTime = s.CompletedOnTime,
        CompletionRate = s.CompletionRate,
    };

    /// <summary>The score's rows; a site's report has none (the score is the contract's), and says where it is.</summary>
    private static IEnumerable<OverviewRow> Assessment(string block, ReportAssessment? a)
    {
        if (a is null)
        {
            yield return new() { Block = block, Label = "得分", Note = "考核得分按全合同计算，见全合同报表" };
            yield break;
        }

        yield return new() { Block = block, Label = "扣分合计", Points = a.TotalDeduction, Time = Local(a.AsOf), Note = "截至所示时间" };
        yield return new() { Block = block, Label = "得分", Points = a.Score };
        yield return new() { Block = block, Label = "等级", Note = a.Tier };
        yield return new() { Block = block, Label = "费用扣减", Money = a.FeeReduction };
        yield return new() { Block = block, Label = "整改", Note = a.RectificationRequired ? "须限期整改（扣分超过 40 分）" : "无须整改" };
    }

    private static BreachRow BreachRowOf(ReportBreach b) => new()
    {
        TicketNumber = b.TicketNumber,
        Kind = KindName(b.Kind),
        Severity = SeverityName(b.Severity),
        Site = b.SiteCode,
        System = b.System,
        Clock = ClockName(b.Clock),
        ReportedAt = Local(b.ReportedAt),
        Deadline = Local(b.Deadline),
        BreachedAt = Local(b.BreachedAt),
        StoppedAt = b.StoppedAt is { } stopped ? Local(stopped) : null,
        OverrunMinutes = Math.Round((decimal)b.Overrun.TotalMinutes, 1, MidpointRounding.AwayFromZero),
        Item = b.Item,
        Points = b.Points,
        Waived = b.Waived ? "是" : "",
    };

    private static LedgerRow LedgerRowOf(ReportLedgerEntry e) => new()
    {
        EntryNo = e.EntryNo,
        Item = e.Item,
        Points = e.Points,
        Source = Deduction.SourceName(e.Source),
        Reason = e.Reason,
        TicketNumber = e.TicketNumber,
        Clock = e.Clock is { } clock ? ClockName(clock) : null,
        OccurredAt = Local(e.OccurredAt),
        RecordedAt = Local(e.RecordedAt),
        RecordedBy = e.RecordedBy,
        Id = e.Id.ToString(),
        Compensates = e.Compensates?.ToString(),
    };

    private static TicketRow TicketRowOf(ReportTicket t) => new()
    {
        TicketNumber = t.TicketNumber,
        Kind = KindName(t.Kind),
        Severity = SeverityName(t.Severity),
        Site = t.SiteCode,
        System = t.System,
        ReportedAt = Local(t.ReportedAt),
        ResponseDeadline = t.Response is { } r ? Local(r.Deadline) : null,
        ResponseState = t.Response is { } rs ? StateName(rs.State) : null,
        RespondedAt = t.Response?.StoppedAt is { } responded ? Local(responded) : null,
        RepairDeadline = t.Repair is { } p ? Local(p.Deadline) : null,
        RepairState = t.Repair is { } ps ? StateName(ps.State) : null,
        RepairedAt = t.Repair?.StoppedAt is { } repaired ? Local(repaired) : null,
    };

    /// <summary>The Shanghai wall-clock time Excel shows (a workbook has no zones).</summary>
    private static DateTime Local(DateTimeOffset time) => ShanghaiTimeConverter.ToShanghai(time).DateTime;

    private static string Text(DateTimeOffset time) => ShanghaiTimeConverter.ToShanghai(time).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string KindName(TicketKind kind) => kind == TicketKind.Request ? "服务请求" : "故障";

    private static string SeverityName(string severity) => severity switch
    {
        "severe" => "严重",
        "general" => "一般",
        _ => severity,
    };

    private static string ClockName(ClockKind clock) => clock switch
    {
        ClockKind.Response => "响应",
        ClockKind.Repair => "修复",
        _ => "办结",
    };

    private static string StateName(string state) => state switch
    {
        "met" => "按时",
        "breached" => "已超时",
        "running" => "计时中",
        "paused" => "已暂停",
        _ => state,
    };
}
