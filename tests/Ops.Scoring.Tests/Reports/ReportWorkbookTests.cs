using System.IO.Compression;
using System.Xml.Linq;
using MiniExcelLibs;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Scoring.Compliance;
using Ops.Scoring.Ledger;
using Ops.Scoring.Reports;
using Ops.Testing;

namespace Ops.Scoring.Tests.Reports;

/// <summary>The workbook read back with MiniExcel and as its sheet XML: headers, rows, numbers, dates, formats, the frozen row, the same bytes twice.</summary>
public class ReportWorkbookTests
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    private static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 10, day, hour, minute, 0, Shanghai);

    private static SlaCompliance Figures(string? site = null, string? system = null, Severity? severity = null) => new(
        Seed.Contract, At(1, 0), At(1, 0).AddMonths(1), site, system, severity, 7, 6, 5, 83.33m, 4, 3, 60m, 2, 1, 12.5m, 30m, 200m, 1440m, 1, 1, 0, 0m);

    private static ReportFigures Sample()
    {
        var period = ReportPeriods.Of(Seed.Terms, ReportKind.Month, "2026-10")!;
        var ticket = Guid.Parse("0199f0aa-0000-7000-8000-000000000001");
        var breach = new ReportBreach(ticket, "F20261005-0001", TicketKind.Fault, "severe", "OTQ", "综合一窗受理平台", ClockKind.Repair,
            At(5, 10), At(5, 14), At(5, 14).AddSeconds(1), At(5, 16, 30), TimeSpan.FromMinutes(150), 6, 2m, false);
        var entry = new ReportLedgerEntry(41, Guid.Parse("0199f0aa-0000-7000-8000-000000000041"), 6, 2m, DeductionSource.Breach, "故障（严重）修复超时：工单 F20261005-0001",
            "F20261005-0001", ClockKind.Repair, null, At(5, 14), At(5, 14, 1), "sla-timer");
        var clock = new ReportClock(ClockKind.Repair, At(5, 14), "breached", At(5, 14).AddSeconds(1), At(5, 16, 30));
        var tickets = Enumerable.Range(0, 3).Select(i => new ReportTicket(ticket, $"F20261005-000{i + 1}", TicketKind.Fault, "severe", "OTQ", "综合一窗受理平台", At(5, 10),
            new ReportClock(ClockKind.Response, At(5, 10, 30), "met", null, At(5, 10, 12)), clock)).ToList();
        var assessment = new ReportAssessment(period.To, 25m, 75m, "合格", 25756.80m, false);
        return new ReportFigures
        {
            Contract = Seed.Contract,
            Title = Seed.Terms.Title,
            Bureau = Seed.Terms.Bureau,
            Contractor = Seed.Terms.Contractor,
            Amount = Seed.Terms.Amount,
            ServiceStart = Seed.Terms.ServiceStart,
            ServiceEnd = Seed.Terms.ServiceEnd,
            Period = period,
            InProgress = false,
            AsOf = period.To,
            Whole = Figures(),
            BySeverity = [Figures(severity: Severity.General), Figures(severity: Severity.Severe)],
            BySite = [Figures(site: "OTQ")],
            BySystem = [Figures(system: "综合一窗受理平台")],
            TargetRate = 100m,
            Breaches = [breach],
            Ledger = [entry],
            Items = [new ReportItem(6, "应急响应", 10, 2m, 0m, 0m, 2m)],
            Assessment = assessment,
            Previous = new ReportComparison(ReportPeriods.Of(Seed.Terms, ReportKind.Month, "2026-09")!, Figures(), 3m, assessment with { TotalDeduction = 23m }),
            OpenAtEnd = [tickets[0]],
            Tickets = tickets,
        };
    }

    private static byte[] Bytes(ReportFigures figures)
    {
        using var stream = new MemoryStream();
        ReportWorkbook.Write(figures, stream);
        return stream.ToArray();
    }

    private static List<IDictionary<string, object>> Rows(byte[] workbook, string sheet) =>
        [.. MiniExcel.Query(new MemoryStream(workbook), useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object>>()];

    /// <summary>The XML of the named sheet, and the workbook's styles.</summary>
    private static (XDocument Sheet, XDocument Styles) Xml(byte[] workbook, string sheet)
    {
        using var zip = new ZipArchive(new MemoryStream(workbook));
        var book = XDocument.Load(zip.GetEntry("xl/workbook.xml")!.Open());
        var rels = XDocument.Load(zip.GetEntry("xl/_rels/workbook.xml.rels")!.Open());
        var id = book.Descendants(Main + "sheet").Single(s => (string)s.Attribute("name")! == sheet)
            .Attribute(XName.Get("id", "http://schemas.openxmlformats.org/officeDocument/2006/relationships"))!.Value;
        var target = rels.Descendants().Single(r => (string?)r.Attribute("Id") == id).Attribute("Target")!.Value.TrimStart('/');
        var path = target.StartsWith("xl/", StringComparison.Ordinal) ? target : "xl/" + target;
        return (XDocument.Load(zip.GetEntry(path)!.Open()), XDocument.Load(zip.GetEntry("xl/styles.xml")!.Open()));
    }

    /// <summary>The number format of cell <paramref name="reference"/>: its style's numFmt code.</summary>
    private static string FormatOf(XDocument sheet, XDocument styles, string reference)
    {
        var cell = sheet.Descendants(Main + "c").Single(c => (string)c.Attribute("r")! == reference);
        var xf = styles.Descendants(Main + "cellXfs").Single().Elements(Main + "xf").ElementAt((int?)cell.Attribute("s") ?? 0);
        var id = (int)xf.Attribute("numFmtId")!;
        return styles.Descendants(Main + "numFmt").SingleOrDefault(n => (int)n.Attribute("numFmtId")! == id)?.Attribute("formatCode")!.Value ?? $"builtin {id}";
    }

    private static XElement Cell(XDocument sheet, string reference) => sheet.Descendants(Main + "c").Single(c => (string)c.Attribute("r")! == reference);

    [Test]
    public void TheSheets_HaveChineseHeaders_AndTheRowsOfTheFigures()
    {
        var workbook = Bytes(Sample());

        Assert.That(MiniExcel.GetSheetNames(new MemoryStream(workbook)), Is.EqualTo(new[] { "概览", "超时明细", "扣分明细", "工单明细" }));
        var breaches = Rows(workbook, "超时明细");
        Assert.That(breaches[0].Keys.Take(6), Is.EqualTo(new[] { "工单号", "类型", "严重程度", "站点", "系统", "计时" }));
        Assert.That((breaches[0]["工单号"], breaches[0]["类型"], breaches[0]["严重程度"], breaches[0]["计时"]), Is.EqualTo(("F20261005-0001", "故障", "严重", "修复")));
        Assert.That(breaches[0]["截止时间"], Is.EqualTo(new DateTime(2026, 10, 5, 14, 0, 0)), "a date in Shanghai time, read back as a date");
        Assert.That(breaches[0]["超时(分钟)"], Is.EqualTo(150m));
        Assert.That(breaches[0]["扣分"], Is.EqualTo(2m));
        Assert.That(Rows(workbook, "扣分明细").Single()["来源"], Is.EqualTo("超时扣分"));
        Assert.That(Rows(workbook, "工单明细").Select(r => r["工单号"]), Is.EqualTo(new[] { "F20261005-0001", "F20261005-0002", "F20261005-0003" }));

        var overview = Rows(workbook, "概览");
        Assert.That(overview[0].Keys.Take(5), Is.EqualTo(new[] { "分类", "项目", "说明", "金额", "时间" }), "the contract's facts beside their labels, not after the figures' columns");
        Assert.That(overview.Single(r => (string)r["项目"] == "合同金额")["金额"], Is.EqualTo(515136m));
        Assert.That(overview.Single(r => (string)r["分类"] == "本期")["响应率(%)"], Is.EqualTo(83.33m));
        Assert.That(overview.Single(r => (string)r["分类"] == "按严重程度" && (string)r["项目"] == "严重")["故障数"], Is.EqualTo(7m));
        Assert.That(overview.Single(r => (string)r["分类"] == "考核（服务期初至期末）" && (string)r["项目"] == "费用扣减")["金额"], Is.EqualTo(25756.80m));
        Assert.That(overview.Single(r => (string)r["分类"] == "上期考核" && (string)r["项目"] == "扣分合计")["扣分"], Is.EqualTo(23m));
        Assert.That(overview.Single(r => (string)r["分类"] == "期末未结工单")["项目"], Is.EqualTo("F20261005-0001"));
        Assert.That(overview.Single(r => (string)r["项目"] == "状态")["说明"], Is.EqualTo("已结束"));
    }

    [Test]
    public void MoneyPointsAndTimes_AreNumbersWithTheirFormats_AndTheHeaderRowIsFrozen()
    {
        var workbook = Bytes(Sample());

        var (overview, styles) = Xml(workbook, "概览");
        var amountRow = overview.Descendants(Main + "row").ElementAt(5); // the header, then 合同编号 … 合同金额
        var money = amountRow.Elements(Main + "c").Single(c => ((string)c.Attribute("r")!).StartsWith('D')); // 金额, beside its label
        Assert.That(((string?)money.Attribute("t"), money.Element(Main + "v")!.Value), Is.EqualTo(((string?)null, "515136.00")), "a number, not text");
        Assert.That(FormatOf(overview, styles, (string)money.Attribute("r")!), Is.EqualTo("\"¥\"#,##0.00"), "¥#,##0.00, the yen sign quoted");
        Assert.That(overview.Descendants(Main + "pane").Single().Attribute("state")!.Value, Is.EqualTo("frozen"));
        Assert.That(overview.Descendants(Main + "pane").Single().Attribute("ySplit")!.Value, Is.EqualTo("1"));

        var (breaches, breachStyles) = Xml(workbook, "超时明细");
        var deadline = Cell(breaches, "H2");
        Assert.That((string?)deadline.Attribute("t"), Is.Not.EqualTo("str").And.Not.EqualTo("s").And.Not.EqualTo("inlineStr"), "a date is a number");
        Assert.That(double.Parse(deadline.Element(Main + "v")!.Value, System.Globalization.CultureInfo.InvariantCulture),
            Is.EqualTo(new DateTime(2026, 10, 5, 14, 0, 0).ToOADate()).Within(1e-9));
        Assert.That(FormatOf(breaches, breachStyles, "H2"), Is.EqualTo("yyyy-mm-dd hh:mm"));
        Assert.That(FormatOf(breaches, breachStyles, "M2"), Is.EqualTo("0.00"), "points");
        Assert.That(breaches.Descendants(Main + "pane").Single().Attribute("state")!.Value, Is.EqualTo("frozen"));
    }

    [Test]
    public void TheSameFigures_GiveTheSameBytes_AndOtherFiguresOthers()
    {
        var first = Bytes(Sample());
        var second = Bytes(Sample());
        var running = Bytes(Sample() with { InProgress = true, AsOf = At(20, 9) });

        Assert.That(second, Is.EqualTo(first));
        // Nothing of the moment of writing is in the file: every entry is stamped with the period's start (Shanghai).
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(first)))
        {
            Assert.That(zip.Entries.Select(e => e.LastWriteTime.DateTime).Distinct(), Is.EqualTo(new[] { Sample().Period.From.ToOffset(TimeSpan.FromHours(8)).DateTime }));
        }

        Assert.That(running, Is.Not.EqualTo(first));
        Assert.That(Rows(running, "概览").Single(r => (string)r["项目"] == "状态")["说明"], Does.StartWith("未结束"));
    }

    [Test]
    public void AMonthWithoutBreaches_StillHasItsSheetsAndTheirHeaders()
    {
        var workbook = Bytes(Sample() with { Breaches = [], Ledger = [], Tickets = [], OpenAtEnd = [], Previous = null });

        var (breaches, _) = Xml(workbook, "超时明细");
        var header = breaches.Descendants(Main + "row").Single();
        Assert.That(header.Elements(Main + "c").Select(c => c.Value).Take(3), Is.EqualTo(new[] { "工单号", "类型", "严重程度" }));
        Assert.That(MiniExcel.Query(new MemoryStream(workbook), useHeaderRow: true, sheetName: "工单明细").Count(), Is.Zero);
    }

    /// <summary>
    /// The schedule writes every missed period's workbook at start-up: a large array for each part of each workbook
    /// would set off a full collection for each, and leave the service's memory settling for many minutes.
    /// </summary>
    [Test]
    public async Task WritingAWorkbook_PutsNothingOnTheLargeObjectHeap()
    {
        Bytes(Sample()); // once first: MiniExcel's one-off set-up

        var large = await LargeObjectAllocations.OfAsync(() => Task.FromResult(Bytes(Sample())));

        Assert.That(large, Is.Empty);
    }
}
