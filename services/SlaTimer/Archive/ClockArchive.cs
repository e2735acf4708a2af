using System.Xml;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Archive;
using Ops.Hosting.Http.Exports;
using Ops.SlaTimer.Clocks;
using Ops.SlaTimer.Storage;

namespace Ops.SlaTimer.Archive;

/// <summary>
/// The sla-timer's part of the yearly archive: every clock of the tickets reported in the service year with its outcome
/// (met, breached, still running), as JSON lines (<c>clocks/clocks.jsonl</c>, times in UTC) and as CSV (<c>clocks/clocks.csv</c>).
/// </summary>
public sealed class ClockArchive(ClockStore store) : IArchivePart
{
    public const string Clocks = "clocks/clocks.jsonl";
    public const string ClocksCsv = "clocks/clocks.csv";

    public string Service => "sla-timer";

    public string Folder => "clocks/";

    public Task<IReadOnlyList<string>> FilesAsync(ServiceYear year, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([Clocks, ClocksCsv]);

    public bool Offers(string file) => file is Clocks or ClocksCsv;

    public Task WriteAsync(string file, ServiceYear year, Stream stream, CancellationToken cancellationToken) => file switch
    {
        Clocks => ArchiveJson.WriteLinesAsync(stream, Year(year, cancellationToken).Select(ClockView.Of), cancellationToken),
        ClocksCsv => ExportFile.WriteAsync(stream, ExportFormat.Csv, Columns, Year(year, cancellationToken), cancellationToken),
        _ => throw new ArgumentException($"The clocks' part has no file {file}.", nameof(file)),
    };

    private static readonly IReadOnlyList<ExportColumn<SlaClock>> Columns =
    [
        new("工单号", c => c.TicketNumber, Width: 16),
        new("时限类型", c => c.Clock switch { ClockKind.Response => "响应", ClockKind.Repair => "修复", ClockKind.Completion => "办结", _ => c.Clock.ToString().ToLowerInvariant() }, Width: 10),
        new("类型", c => c.TicketKind == TicketKind.Fault ? "故障" : "服务请求", Width: 10),
        new("严重程度/等级", c => c.Severity switch { Severity.Severe => "严重", Severity.General => "一般", _ => c.Grade }, Width: 12),
        new("站点", c => c.SiteCode, Width: 8),
        new("系统", c => c.System, Width: 24),
        new("时限", c => XmlConvert.ToString(c.Target), Width: 10),
        new("开始时间", c => c.StartedAt, ExportKind.Time),
        new("截止时间", c => c.Deadline, ExportKind.Time),
        new("结果", c => c.State switch { ClockState.Met => "按时", ClockState.Breached => "已超时", ClockState.Paused => "暂停中", _ => "计时中" }, Width: 10),
        new("超时时间", c => c.BreachedAt, ExportKind.Time),
        new("停止时间", c => c.StoppedAt, ExportKind.Time),
        new("超出时长", c => c.StoppedAt is null ? null : XmlConvert.ToString(c.Overrun), Width: 12),
        new("重开次数", c => c.Reopens, ExportKind.Number, Width: 8),
    ];

    private IAsyncEnumerable<SlaClock> Year(ServiceYear year, CancellationToken cancellationToken) =>
        store.YearAsync(year.Contract, year.From, year.To, cancellationToken);
}
