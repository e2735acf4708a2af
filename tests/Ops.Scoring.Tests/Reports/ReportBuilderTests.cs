using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Security;
using Ops.Scoring.Assessment;
using Ops.Scoring.Compliance;
using Ops.Scoring.Ledger;
using Ops.Scoring.Reports;
using Ops.Testing;

namespace Ops.Scoring.Tests.Reports;

/// <summary>
/// A month of faults that breach, stop in time, change severity, reopen and are waived: the report's figures are the
/// dashboard's and the assessment's for the same period, and the same twice.
/// </summary>
public class ReportBuilderTests : ServiceTests<Program>
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset AfterOctober = new(2026, 11, 24, 10, 0, 0, Shanghai);

    private DeductionLedger ledger = null!;
    private ReportBuilder builder = null!;
    private JsonSerializerOptions json = null!;

    private static DateTimeOffset At(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, Shanghai);

    /// <summary>A fault's response and repair clocks, running, under one ticket and number.</summary>
    private static (ClockFacts Response, ClockFacts Repair) Fault(string number, DateTimeOffset reported, Severity severity, string site = "OTQ", string system = "综合一窗受理平台")
    {
        var ticket = Guid.NewGuid();
        return (
            Clocks.Running(ClockKind.Response, severity, reported, site, system, ticket: ticket) with { TicketNumber = number },
            Clocks.Running(ClockKind.Repair, severity, reported, site, system, ticket: ticket) with { TicketNumber = number });
    }

    private async Task RecordAsync(params ClockFacts[] versions)
    {
        foreach (var version in versions)
        {
            await ledger.RecordClockAsync(version, AfterOctober);
        }
    }

    [SetUp]
    public async Task RecordAMonthOfFaults()
    {
        ledger = Service.Services.GetRequiredService<DeductionLedger>();
        builder = Service.Services.GetRequiredService<ReportBuilder>();
        json = Service.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

        // September: a severe repair late (2 points) and a general repair breached and never stopped (1 point).
        var s = Fault("F20260920-0001", At(9, 20, 9), Severity.Severe);
        await RecordAsync(s.Response.StoppedAfter(TimeSpan.FromMinutes(10)), s.Repair.Breached(), s.Repair.Breached().StoppedAfter(TimeSpan.FromHours(6)));
        var h = Fault("F20260928-0001", At(9, 28, 9), Severity.General, "SHM");
        await RecordAsync(h.Response.StoppedAfter(TimeSpan.FromMinutes(10)), h.Repair.Breached());

        // October.
        var a = Fault("F20261005-0001", At(10, 5, 10), Severity.Severe); // repair breached, still open: 2
        await RecordAsync(a.Response.StoppedAfter(TimeSpan.FromMinutes(10)), a.Repair.Breached());
        var b = Fault("F20261008-0001", At(10, 8, 9), Severity.General, "SHM", "好差评"); // response late: 1
        await RecordAsync(b.Response.Breached(), b.Response.Breached().StoppedAfter(TimeSpan.FromMinutes(45)), b.Repair.StoppedAfter(TimeSpan.FromHours(3)));
        var c = Fault("F20261010-0001", At(10, 10, 14), Severity.Severe); // the stop in time reached the timer late: taken back
        await RecordAsync(c.Response.StoppedAfter(TimeSpan.FromMinutes(5)), c.Repair.Breached(), c.Repair.Breached().StoppedInTime());
        var d = Fault("F20261012-0001", At(10, 12, 8), Severity.Severe); // severe, then general: a general repair late, 1
        var general = d.Repair with { Sequence = 2, Severity = Severity.General, Target = TimeSpan.FromHours(24), Deadline = d.Repair.ReportedAt.AddHours(24) };
        await RecordAsync(d.Response.StoppedAfter(TimeSpan.FromMinutes(20)), general, general.Breached(), general.Breached().StoppedAfter(TimeSpan.FromHours(30)));
        var e = Fault("F20261015-0001", At(10, 15, 20), Severity.General, "SHM"); // repaired in time, reopened, late: 1
        var reopened = e.Repair.StoppedAfter(TimeSpan.FromHours(2)).Reopened(TimeSpan.FromHours(3));
        await RecordAsync(e.Response.StoppedAfter(TimeSpan.FromMinutes(10)), e.Repair.StoppedAfter(TimeSpan.FromHours(2)), reopened, reopened.Breached(),
            reopened.Breached().StoppedAfter(TimeSpan.FromHours(40)));
        var f = Fault("F20261020-0001", At(10, 20, 11), Severity.Severe, "OTQ", "好差评"); // late, waived: 0
        await RecordAsync(f.Response.StoppedAfter(TimeSpan.FromMinutes(15)), f.Repair.Breached());
        var ticket = Guid.NewGuid();
        var request = Clocks.Request(ClockKind.Completion, reportedAt: At(10, 22, 10)) with { TicketId = ticket, TicketNumber = "R20261022-0001" }; // late: 1
        var requestResponse = Clocks.Request(ClockKind.Response, reportedAt: At(10, 22, 10)) with { TicketId = ticket, TicketNumber = "R20261022-0001" };
        await RecordAsync(requestResponse.StoppedAfter(TimeSpan.FromHours(1)), request.Breached(), request.Breached().StoppedAfter(TimeSpan.FromHours(20)));
        var g = Fault("F20261031-0001", At(10, 31, 23), Severity.General); // open at the month's end, late in November: 1, placed in November
        await RecordAsync(g.Response.StoppedAfter(TimeSpan.FromMinutes(10)), g.Repair.Breached(), g.Repair.Breached().StoppedAfter(TimeSpan.FromHours(27)));

        // November: a late response (1), after the month.
        var n = Fault("F20261103-0001", At(11, 3, 9), Severity.General);
        await RecordAsync(n.Response.Breached().StoppedAfter(TimeSpan.FromMinutes(50)));

        using var manager = Service.ClientAs(Roles.Manager, "李娜");
        var manual = await manager.PostAsJsonAsync("/api/assessment/deductions", new { item = 8, points = 1m, reason = "9月月报逾期提交", occurredAt = At(10, 25, 10) });
        Assert.That(manual.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var assessment = await Client.GetFromJsonAsync<AssessmentView>("/api/assessment?evidence=1000", json);
        var fBreach = assessment!.Items.Single(i => i.Item == 6).Evidence.Single(x => x.TicketNumber == f.Repair.TicketNumber && x.Source == DeductionSource.Breach);
        var waived = await manager.PostAsJsonAsync("/api/assessment/waivers", new { deduction = fBreach.Id, reason = "盟级统一平台故障，非乙方责任" });
        Assert.That(waived.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    private static ReportPeriod October => ReportPeriods.Of(Seed.Terms, ReportKind.Month, "2026-10")!;

    private async Task<T> GetAsync<T>(string path, ReportPeriod period, string query = "") =>
        (await Client.GetFromJsonAsync<T>(
            $"{path}?from={Uri.EscapeDataString(period.From.ToString("O"))}&to={Uri.EscapeDataString(period.To.ToString("O"))}{query}", json))!;

    [Test]
    public async Task AMonthsFigures_AreTheDashboardsAndTheAssessments_ForTheSamePeriod()
    {
        var report = await builder.BuildAsync(Seed.Terms, October, null, AfterOctober);

        Assert.That((report.InProgress, report.AsOf), Is.EqualTo((false, October.To)));
        Assert.That(report.Whole, Is.EqualTo(await GetAsync<SlaCompliance>("/api/dashboard/sla", October)));
        Assert.That(report.Whole.Faults, Is.EqualTo(7));
        Assert.That(report.BySeverity, Is.EqualTo(new[]
        {
            await GetAsync<SlaCompliance>("/api/dashboard/sla", October, "&severity=general"),
            await GetAsync<SlaCompliance>("/api/dashboard/sla", October, "&severity=severe"),
        }));
        Assert.That(report.BySite, Is.EqualTo((await GetAsync<SlaBreakdown>("/api/dashboard/sla/breakdown", October, "&by=site")).Rows));
        Assert.That(report.BySystem, Is.EqualTo((await GetAsync<SlaBreakdown>("/api/dashboard/sla/breakdown", October, "&by=system")).Rows));
        Assert.That(report.BySite.Select(r => r.SiteCode), Is.EqualTo(new[] { "OTQ", "SHM" }));

        // The assessment to the month's end: the assessment's own arithmetic over the entries placed before it.
        var evidence = (await Client.GetFromJsonAsync<AssessmentView>("/api/assessment?evidence=1000", json))!.Items.SelectMany(i => i.Evidence).ToList();
        var expected = AssessmentCalculator.Compute(Seed.Terms, evidence.Where(x => x.OccurredAt < October.To).GroupBy(x => x.Item).ToDictionary(g => g.Key, g => g.Sum(x => x.Points)));
        Assert.That(report.Assessment, Is.EqualTo(new ReportAssessment(October.To, expected.TotalDeduction, expected.Score, expected.TierName, expected.FeeReduction, expected.RectificationRequired)));
        Assert.That(report.Assessment!.TotalDeduction, Is.EqualTo(10m), "September 3, October 5 + 1 + 1; November's not yet");
    }

    [Test]
    public async Task AMonthsBreaches_AreItsTicketsLateClocks_WithWhatTheLedgerStillTakes()
    {
        var report = await builder.BuildAsync(Seed.Terms, October, null, AfterOctober);

        Assert.That(report.Breaches.Select(b => (b.TicketNumber, b.Clock, b.Item, b.Points, b.Waived)), Is.EqualTo(new (string, ClockKind, int?, decimal, bool)[]
        {
            ("F20261005-0001", ClockKind.Repair, 6, 2m, false),
            ("F20261008-0001", ClockKind.Response, 6, 1m, false),
            ("F20261012-0001", ClockKind.Repair, 6, 1m, false),
            ("F20261015-0001", ClockKind.Repair, 6, 1m, false),
            ("F20261020-0001", ClockKind.Repair, 6, 0m, true),
            ("R20261022-0001", ClockKind.Completion, 9, 1m, false),
        }), "the earliest deadline first; the breach taken back by a stop in time is none; the breach of the fault reported on the 31st is November's");
        var open = report.Breaches[0];
        Assert.That((open.StoppedAt, open.Overrun), Is.EqualTo(((DateTimeOffset?)null, October.To - At(10, 5, 14))), "an open breach overruns to the month's end");
        var late = report.Breaches[1];
        Assert.That(late.Overrun, Is.EqualTo(TimeSpan.FromMinutes(15)));
        Assert.That(report.Breaches[3].Deadline, Is.EqualTo(At(10, 16, 23)), "the reopened repair's deadline, later by the 3 hours it was resolved");

        Assert.That(report.Ledger.Select(l => l.EntryNo), Is.Ordered.Ascending);
        Assert.That(report.Ledger.Select(l => (l.TicketNumber, l.Source, l.Points)), Is.EquivalentTo(new (string?, DeductionSource, decimal)[]
        {
            ("F20261005-0001", DeductionSource.Breach, 2m),
            ("F20261008-0001", DeductionSource.Breach, 1m),
            ("F20261010-0001", DeductionSource.Breach, 2m),
            ("F20261010-0001", DeductionSource.Retraction, -2m),
            ("F20261012-0001", DeductionSource.Breach, 1m),
            ("F20261015-0001", DeductionSource.Breach, 1m),
            ("F20261020-0001", DeductionSource.Breach, 2m),
            ("F20261020-0001", DeductionSource.Waiver, -2m),
            ("R20261022-0001", DeductionSource.Breach, 1m),
            (null, DeductionSource.Manual, 1m),
        }), "the entries placed in October: the breach of the fault reported on the 31st falls in November");
        Assert.That(report.Items.Select(i => i.Item), Is.EqualTo(Enumerable.Range(1, 15)));
        var item6 = report.Items.Single(i => i.Item == 6);
        Assert.That((item6.Automatic, item6.Manual, item6.Waived, item6.Net), Is.EqualTo((7m, 0m, -2m, 5m)));
        Assert.That(report.Items.Single(i => i.Item == 8), Is.EqualTo(new ReportItem(8, "服务总结、报告及时性", 5, 0m, 1m, 0m, 1m)));
        Assert.That(report.Items.Single(i => i.Item == 9).Automatic, Is.EqualTo(1m));

        Assert.That(report.Previous!.Period.Key, Is.EqualTo("2026-09"));
        Assert.That((report.Previous.PeriodDeduction, report.Previous.Assessment!.TotalDeduction, report.Previous.Whole.Faults), Is.EqualTo((3m, 3m, 2L)));
        Assert.That(report.OpenAtEnd.Select(t => t.TicketNumber), Is.EqualTo(new[] { "F20260928-0001", "F20261005-0001", "F20261020-0001", "F20261031-0001" }),
            "repairs not stopped by the month's end, one stopped only in November");
        Assert.That(report.Tickets, Has.Count.EqualTo(8));
        Assert.That(report.Tickets.All(t => t.Response is not null && t.Repair is not null), Is.True);
        Assert.That(report.Tickets.Single(t => t.Kind == TicketKind.Request).Repair!.Clock, Is.EqualTo(ClockKind.Completion));
    }

    [Test]
    public async Task TheSameStore_GivesTheSameFigures_AndTheYearEndsOnTheAssessment()
    {
        var first = await builder.BuildAsync(Seed.Terms, October, null, AfterOctober);
        var second = await builder.BuildAsync(Seed.Terms, October, null, AfterOctober.AddDays(3));

        Assert.That(JsonSerializer.Serialize(second, json), Is.EqualTo(JsonSerializer.Serialize(first, json)));
        Assert.That(JsonSerializer.Serialize(second.Tickets, json), Is.EqualTo(JsonSerializer.Serialize(first.Tickets, json)));
        using (var a = new MemoryStream())
        using (var b = new MemoryStream())
        {
            ReportWorkbook.Write(first, a);
            ReportWorkbook.Write(second, b);
            Assert.That(b.ToArray(), Is.EqualTo(a.ToArray()), "the same figures, the same workbook");
        }

        var year = await builder.BuildAsync(Seed.Terms, ReportPeriods.Of(Seed.Terms, ReportKind.Year, "2026")!, null, new DateTimeOffset(2027, 3, 1, 0, 0, 0, Shanghai));
        var assessment = (await Client.GetFromJsonAsync<AssessmentView>("/api/assessment", json))!;
        Assert.That((year.Assessment!.TotalDeduction, year.Assessment.Score, year.Assessment.Tier, year.Assessment.FeeReduction),
            Is.EqualTo((assessment.TotalDeduction, assessment.Score, assessment.Tier, assessment.FeeReduction)));
        Assert.That(year.Assessment!.TotalDeduction, Is.EqualTo(12m));
    }

    [Test]
    public async Task ASitesReport_AndARunningMonth()
    {
        var shm = await builder.BuildAsync(Seed.Terms, October, "SHM", AfterOctober);
        var november = await builder.BuildAsync(Seed.Terms, ReportPeriods.Of(Seed.Terms, ReportKind.Month, "2026-11")!, null, AfterOctober);

        Assert.That(shm.Whole, Is.EqualTo(await GetAsync<SlaCompliance>("/api/dashboard/sla", October, "&siteCode=SHM")));
        Assert.That(shm.Breaches.Select(b => b.TicketNumber), Is.EqualTo(new[] { "F20261008-0001", "F20261015-0001" }));
        Assert.That(shm.Ledger.Select(l => l.TicketNumber), Is.EqualTo(new[] { "F20261008-0001", "F20261015-0001" }), "a manual entry belongs to no site");
        Assert.That((shm.Assessment, shm.Previous!.Assessment), Is.EqualTo(((ReportAssessment?)null, (ReportAssessment?)null)), "the score is the contract's, not the site's to read");
        Assert.That((november.InProgress, november.AsOf), Is.EqualTo((true, AfterOctober)));
        Assert.That(november.Breaches.Select(b => (b.TicketNumber, b.Clock)), Is.EqualTo(new[] { ("F20261031-0001", ClockKind.Repair), ("F20261103-0001", ClockKind.Response) }),
            "a breach is listed in the month the ledger places it, whenever its ticket was reported");
    }

    [Test]
    public async Task TheBreachesSheet_ReconcilesWithTheLedgerSheet_EachMonthAndEachSite()
    {
        var periods = new[] { "2026-09", "2026-10", "2026-11" }.Select(k => ReportPeriods.Of(Seed.Terms, ReportKind.Month, k)!).ToList();
        foreach (var (period, site) in periods.SelectMany(p => new[] { (p, (string?)null), (p, "OTQ"), (p, "SHM") }))
        {
            var report = await builder.BuildAsync(Seed.Terms, period, site, AfterOctober.AddDays(10));
            var ticketEntries = report.Ledger.Where(l => l.TicketNumber is not null).ToList();

            Assert.That(report.Breaches.Sum(b => b.Points), Is.EqualTo(ticketEntries.Sum(l => l.Points)), $"{period.Key} {site}: 超时明细 adds up to 扣分明细's entries of tickets");
            Assert.That(report.Breaches.Sum(b => b.Points), Is.EqualTo(report.Items.Sum(i => i.Automatic + i.Waived)), $"{period.Key} {site}: the automatic deductions and their waivers");
            Assert.That(report.Breaches.Select(b => b.TicketNumber).Distinct(), Is.EquivalentTo(
                ticketEntries.GroupBy(l => l.TicketNumber).Where(g => g.Any(l => l.Source == DeductionSource.Breach) && g.Sum(l => l.Points) != 0 || g.Any(l => l.Source == DeductionSource.Waiver)).Select(g => g.Key)),
                $"{period.Key} {site}: every ticket of the ledger's breaches, none taken back");
        }

        var october = await builder.BuildAsync(Seed.Terms, October, null, AfterOctober);
        Assert.That((october.Breaches.Sum(b => b.Points), october.Items.Single(i => i.Item == 6).Automatic + october.Items.Single(i => i.Item == 9).Automatic), Is.EqualTo((6m, 8m)),
            "1 waived breach of 2 points is listed at 0");
        using var stream = new MemoryStream();
        ReportWorkbook.Write(october, stream);
        var overview = MiniExcelLibs.MiniExcel.Query(new MemoryStream(stream.ToArray()), useHeaderRow: true, sheetName: "概览").Cast<IDictionary<string, object>>().ToList();
        var reconciled = overview.Single(r => (string)r["项目"] == "超时明细合计");
        Assert.That(Convert.ToDecimal(reconciled["扣分"], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(6m), "概览 says the sum 超时明细 adds up to");
    }
}
