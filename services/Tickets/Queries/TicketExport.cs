using System.Globalization;
using Ops.Contracts.Tickets;
using Ops.Hosting.Http;
using Ops.Hosting.Http.Exports;
using Ops.Hosting.Security;
using Ops.Tickets.Intake;
using Ops.Tickets.Lifecycle;

namespace Ops.Tickets.Queries;

/// <summary>The query string of a ticket export: the ticket list's filters, without its paging, and the format.</summary>
public sealed record TicketExportQuery(string? Status, string? SiteCode, string? Severity, string? Kind, string? From, string? To, string? AcknowledgedBy, string? Format)
{
    /// <summary>The same filters as the list, checked the same way.</summary>
    public TicketQuery AsListQuery() => new(Status, SiteCode, Severity, Kind, From, To, Limit: null, Offset: null, AcknowledgedBy);
}

/// <summary>The columns of a ticket export, in Chinese. The reporter's phone is masked for every role: a file travels further than a screen.</summary>
public static class TicketExport
{
    public static IReadOnlyList<ExportColumn<Ticket>> Columns(ContractCatalog contracts) =>
    [
        new("工单号", t => t.Number, Width: 16),
        new("类型", t => t.Kind == TicketKind.Fault ? "故障" : "服务请求", Width: 10),
        new("标题", t => t.Title, Width: 40),
        new("站点", t => contracts.Contracts.GetValueOrDefault(t.Contract)?.Sites.GetValueOrDefault(t.SiteCode) ?? t.SiteCode, Width: 24),
        new("系统", t => t.System, Width: 24),
        new("严重程度/等级", t => Grade(contracts, t), Width: 12),
        new("状态", t => Status(t.Status), Width: 10),
        new("报修时间", t => t.ReportedAt, ExportKind.Time),
        new("响应时间", t => t.AcknowledgedAt, ExportKind.Time),
        new("解决时间", t => t.ResolvedAt, ExportKind.Time),
        new("报修人", t => t.ReporterName, Width: 12),
        new("报修人电话", t => PhoneMask.Of(t.ReporterPhone), Width: 14),
        new("处理结果", t => t.Resolution, Width: 40),
    ];

    /// <summary>工单-OTQ-2026-OPS-20261202 while the caller sees one contract, 工单-20261202 otherwise (the day in Shanghai).</summary>
    public static string FileName(ContractCatalog contracts, Scope scope, DateTimeOffset now)
    {
        var visible = contracts.Contracts.Keys.Where(scope.Reaches).ToList();
        var day = ShanghaiTimeConverter.ToShanghai(now).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        return visible.Count == 1 ? $"工单-{visible[0]}-{day}" : $"工单-{day}";
    }

    private static string Grade(ContractCatalog contracts, Ticket t) => t.Kind == TicketKind.Fault
        ? t.Severity == Severity.Severe ? "严重" : "一般"
        : t.Grade is { } grade ? contracts.PolicyOf(t.Contract).Requests.Grades.GetValueOrDefault(grade)?.Name ?? grade : "";

    private static string Status(TicketStatus status) => status switch
    {
        TicketStatus.Open => "待响应",
        TicketStatus.Acknowledged => "已响应",
        TicketStatus.Resolved => "已解决",
        _ => status.ToString().ToLowerInvariant(),
    };
}
