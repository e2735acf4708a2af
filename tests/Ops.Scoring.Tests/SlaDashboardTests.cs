using Dapper;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Scoring.Compliance;
using Ops.Scoring.Ledger;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>The compliance figures managers watch, from the clock facts scoring keeps.</summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class SlaDashboardTests(TestStore store)
{
    private static readonly DateTimeOffset Now = Clocks.Reported.AddDays(2);

    private TempDatabase database = null!;
    private DeductionLedger ledger = null!;
    private SlaDashboard dashboard = null!;

    [SetUp]
    public async Task CreateDashboard()
    {
        database = await TempDatabase.CreateAsync(store, typeof(DeductionLedger).Assembly);
        ledger = Seed.LedgerOn(database.Database);
        dashboard = new SlaDashboard(database.Database);
    }

    [TearDown]
    public async Task DropDashboard() => await database.DisposeAsync();

    private async Task RecordAsync(params ClockFacts[] clocks)
    {
        foreach (var clock in clocks)
        {
            await ledger.RecordClockAsync(clock, Now);
        }
    }

    private Task<SlaCompliance> ComplianceAsync(string? siteCode = null, string? system = null, Severity? severity = null, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        dashboard.ComplianceAsync(new DashboardFilter(Seed.Contract, from ?? Seed.Terms.Period.From, to ?? Seed.Terms.Period.To, siteCode, system, severity));

    private static ClockFacts Response(int minutesLater = 0, string siteCode = "OTQ", string system = "综合一窗受理平台", Severity severity = Severity.Severe, TicketKind kind = TicketKind.Fault) =>
        Clocks.Running(ClockKind.Response, severity, Clocks.Reported.AddMinutes(minutesLater), siteCode, system, kind);

    [Test]
    public async Task NothingReported_HasNoRates_RatherThanAHundredPercent()
    {
        var compliance = await ComplianceAsync();

        Assert.That((compliance.Faults, compliance.ResponseRate, compliance.RepairRate, compliance.P90AcknowledgeMinutes), Is.EqualTo((0L, (decimal?)null, (decimal?)null, (decimal?)null)));
    }

    [Test]
    public async Task TheResponseRate_IsInTime_OverDecided_WhereOpenBreachesCountAndRunningClocksDoNot()
    {
        await RecordAsync(
            Response().StoppedAfter(TimeSpan.FromMinutes(10)),
            Response().StoppedAfter(TimeSpan.FromMinutes(20)),
            Response().Breached().StoppedAfter(TimeSpan.FromMinutes(50)),
            Response().Breached(),
            Response());

        var compliance = await ComplianceAsync();

        Assert.That(compliance.Faults, Is.EqualTo(5));
        Assert.That((compliance.Responded, compliance.RespondedOnTime), Is.EqualTo((3L, 2L)));
        Assert.That(compliance.ResponseRate, Is.EqualTo(50.00m)); // 2 in time of 3 responded + 1 breached unanswered
        Assert.That(compliance.OpenBreaches, Is.EqualTo(1));
        Assert.That(compliance.MeanAcknowledgeMinutes, Is.EqualTo(26.7m));
        Assert.That(compliance.P90AcknowledgeMinutes, Is.EqualTo(50.0m));
    }

    [Test]
    public async Task TheRepairRate_AndItsTimes_ComeFromTheRepairClocks()
    {
        await RecordAsync(
            Clocks.Running(ClockKind.Repair, Severity.Severe).StoppedAfter(TimeSpan.FromHours(3)),
            Clocks.Running(ClockKind.Repair, Severity.General).StoppedAfter(TimeSpan.FromHours(23)),
            Clocks.Running(ClockKind.Repair, Severity.Severe).Breached().StoppedAfter(TimeSpan.FromHours(5)));

        var compliance = await ComplianceAsync();

        Assert.That((compliance.Repaired, compliance.RepairedOnTime, compliance.RepairRate), Is.EqualTo((3L, 2L, (decimal?)66.67m)));
        Assert.That(compliance.MeanRepairMinutes, Is.EqualTo(620.0m)); // (180 + 1380 + 300) / 3
        Assert.That(compliance.P90RepairMinutes, Is.EqualTo(1380.0m));
        Assert.That(compliance.Faults, Is.EqualTo(0), "faults are counted by their response clocks");
    }

    [Test]
    public async Task P90_IsTheNearestRank_OfTheStoppedClocks()
    {
        var clocks = Enumerable.Range(1, 10).Select(m => Response(m).StoppedAfter(TimeSpan.FromMinutes(m))).Reverse().ToArray();
        await RecordAsync(clocks);

        var compliance = await ComplianceAsync();

        Assert.That(compliance.P90AcknowledgeMinutes, Is.EqualTo(9.0m));
        Assert.That(compliance.MeanAcknowledgeMinutes, Is.EqualTo(5.5m));
        Assert.That(compliance.ResponseRate, Is.EqualTo(100m));
    }

    [Test]
    public async Task TheFilters_SelectBySiteSystemSeverityAndReportTime_AndServiceRequestsAreNotFaults()
    {
        await RecordAsync(
            Response(0).Breached(),
            Response(1, siteCode: "SHM").StoppedAfter(TimeSpan.FromMinutes(5)),
            Response(2, system: "好差评").StoppedAfter(TimeSpan.FromMinutes(5)),
            Response(3, severity: Severity.General).StoppedAfter(TimeSpan.FromMinutes(5)),
            Response(60 * 24).StoppedAfter(TimeSpan.FromMinutes(5)),
            Response(4, kind: TicketKind.Request).StoppedAfter(TimeSpan.FromMinutes(5)));

        Assert.That((await ComplianceAsync()).Faults, Is.EqualTo(5));
        Assert.That((await ComplianceAsync(siteCode: "SHM")).Faults, Is.EqualTo(1));
        Assert.That((await ComplianceAsync(system: "好差评")).Faults, Is.EqualTo(1));
        Assert.That((await ComplianceAsync(severity: Severity.General)).Faults, Is.EqualTo(1));
        var firstDay = await ComplianceAsync(from: Clocks.Reported, to: Clocks.Reported.AddHours(1));
        Assert.That((firstDay.Faults, firstDay.ResponseRate), Is.EqualTo((4L, (decimal?)75m)));
        var severeOtq = await ComplianceAsync(siteCode: "OTQ", system: "综合一窗受理平台", severity: Severity.Severe);
        Assert.That((severeOtq.Faults, severeOtq.OpenBreaches, severeOtq.ResponseRate), Is.EqualTo((2L, 1L, (decimal?)50m)));
    }

    [Test]
    public async Task AReopenedFault_IsCounted_AndItsTimeResolvedIsLeftOutOfTheTimeToRepair()
    {
        var reopened = Clocks.Running(ClockKind.Repair, Severity.Severe) with { Reopens = 1, Excluded = TimeSpan.FromHours(2) };
        await RecordAsync(
            reopened.StoppedAfter(TimeSpan.FromHours(5)),
            Clocks.Running(ClockKind.Repair, Severity.Severe).StoppedAfter(TimeSpan.FromHours(1)));

        var compliance = await ComplianceAsync();

        Assert.That(compliance.Reopened, Is.EqualTo(1));
        Assert.That(compliance.MeanRepairMinutes, Is.EqualTo(120m)); // (5 h − 2 h set aside + 1 h) / 2
    }

    [Test]
    public async Task ServiceRequests_HaveTheirOwnCompletionRate_AndDoNotCountAsFaults()
    {
        await RecordAsync(
            Clocks.Request(ClockKind.Completion).StoppedAfter(TimeSpan.FromHours(10)),
            Clocks.Request(ClockKind.Completion).StoppedAfter(TimeSpan.FromHours(20)),
            Clocks.Request(ClockKind.Completion).Breached(),
            Clocks.Request(ClockKind.Completion),
            Clocks.Request(ClockKind.Response).StoppedAfter(TimeSpan.FromMinutes(10)));

        var compliance = await ComplianceAsync();

        Assert.That((compliance.Requests, compliance.Completed, compliance.CompletedOnTime), Is.EqualTo((4L, 2L, 1L)));
        Assert.That(compliance.CompletionRate, Is.EqualTo(33.33m)); // 1 in time of 2 completed + 1 late and open
        Assert.That((compliance.Faults, compliance.Responded, compliance.ResponseRate), Is.EqualTo((0L, 0L, (decimal?)null)));
    }

    [Test]
    public async Task ALaterEventOfTheSameClock_ReplacesWhatTheDashboardKnew()
    {
        var clock = Response().Breached();
        await RecordAsync(clock);
        Assert.That((await ComplianceAsync()).OpenBreaches, Is.EqualTo(1));

        await RecordAsync(clock.StoppedAfter(TimeSpan.FromMinutes(45)));

        var compliance = await ComplianceAsync();
        Assert.That((compliance.OpenBreaches, compliance.Responded, compliance.RespondedOnTime), Is.EqualTo((0L, 1L, 0L)));
    }

    [Test]
    public async Task ASeverityFilter_CountsFaultsOnly_AlsoWhenARequestsEventSaidGeneral()
    {
        await RecordAsync(
            Response(0, severity: Severity.General).StoppedAfter(TimeSpan.FromMinutes(5)),
            Clocks.Request(ClockKind.Completion).StoppedAfter(TimeSpan.FromHours(10)), // an older event: general
            Clocks.Request(ClockKind.Completion) with { Severity = null });

        var general = await ComplianceAsync(severity: Severity.General);
        var all = await ComplianceAsync();

        Assert.That((general.Faults, general.Requests, general.Completed), Is.EqualTo((1L, 0L, 0L)));
        Assert.That((all.Faults, all.Requests, all.Completed), Is.EqualTo((1L, 2L, 1L)));
        var stored = await database.Database.ReadAsync(c => c.QueryAsync<string>("SELECT severity FROM clock_facts WHERE ticket_kind = 'request'"));
        Assert.That(stored, Is.EqualTo(new[] { "", "" }), "a request's clock is stored without a severity");
    }
}
