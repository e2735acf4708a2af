using Dapper;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Messaging;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.SlaTimer.Clocks;
using Ops.SlaTimer.Notifications;
using Ops.SlaTimer.Storage;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>The clock store on each store: ticket versions, breaches and warnings recorded once, deadlines, lists, the outcome chain.</summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class ClockStoreTests(TestStore kind)
{
    private TempDatabase database = null!;
    private ClockStore store = null!;

    [SetUp]
    public async Task CreateStore()
    {
        database = await TempDatabase.CreateAsync(kind, typeof(ClockStore).Assembly);
        store = new ClockStore(database.Database, new Outbox(TimeProvider.System), TestSecrets.Evidence(database.Database),
            new ContractTargets(new Dictionary<string, SlaTargets>
            {
                ["OTQ-2026-OPS"] = new(),
                ["HQ-2027-OPS"] = new() { Response = TimeSpan.FromMinutes(15), RepairSevere = TimeSpan.FromHours(2) },
            }),
            new PendingNotices(database.Database, EscalationBook.None));
    }

    [TearDown]
    public async Task DropStore() => await database.DisposeAsync();

    [Test]
    public async Task AnOlderOrRepeatedTicketVersion_IsIgnored()
    {
        var reported = Tickets.Fault();
        var acknowledged = reported.Acknowledged(Tickets.Reported.AddMinutes(10));

        Assert.That(await store.ApplyTicketAsync(acknowledged, Tickets.Reported.AddMinutes(10)), Is.True);
        Assert.That(await store.ApplyTicketAsync(reported, Tickets.Reported.AddMinutes(11)), Is.False);
        Assert.That(await store.ApplyTicketAsync(acknowledged, Tickets.Reported.AddMinutes(12)), Is.False);

        var clocks = await store.OfTicketAsync(reported.TicketId.ToString());
        Assert.That(clocks.Single(c => c.Clock == ClockKind.Response).State, Is.EqualTo(ClockState.Met));
        Assert.That(clocks.Single(c => c.Clock == ClockKind.Repair).State, Is.EqualTo(ClockState.Running));
    }

    [Test]
    public async Task BreachDue_BreachesEachDueClockOnce_InBatches_AndLeavesTheOthersRunning()
    {
        for (var i = 0; i < 7; i++)
        {
            await store.ApplyTicketAsync(Tickets.Fault(Severity.General, Tickets.Reported.AddMinutes(i)), Tickets.Reported.AddMinutes(i));
        }

        // Response deadlines of tickets 0–3 have passed (PostgreSQL keeps times to the microsecond: "just after" is a millisecond on).
        var now = Tickets.Reported.AddMinutes(33).AddMilliseconds(1);
        var first = await store.BreachDueAsync(now, limit: 3);
        var second = await store.BreachDueAsync(now, limit: 3);
        var third = await store.BreachDueAsync(now, limit: 3);

        Assert.That((first, second, third), Is.EqualTo((3, 1, 0)));
        var breaches = await database.Database.MessagesAsync<SlaBreached>();
        Assert.That(breaches.Select(b => b.Clock.ClockId).Distinct().Count(), Is.EqualTo(4));
        Assert.That(breaches.Select(b => b.Clock.Clock), Is.All.EqualTo(ClockKind.Response));
        // Next comes the 50 % warning of ticket 4's response clock (15 of its 30 minutes), before any deadline.
        Assert.That(await store.NextDueAsync(), Is.EqualTo(Tickets.Reported.AddMinutes(4 + 15)));
        Assert.That((await store.ListAsync(new ClockFilter(ClockState.Running, null), 100, 0, Scope.All)).Total, Is.EqualTo(10));
    }

    [Test]
    public async Task CountingTheRunningClocksByClock_ReadsOnlyTheirIndex_WithoutSortingThem()
    {
        var plan = await database.Database.ReadAsync(async c =>
        {
            var sql = ClockSql.For(database.Database.Provider).RunningByClock;
            if (database.Database.Provider == SqlProvider.Sqlite)
            {
                return string.Join('\n', (await c.QueryAsync("EXPLAIN QUERY PLAN " + sql)).Select(row => (string)row.detail));
            }

            // An empty table is read whole by choice: the plan is asked for as if it were large.
            await c.ExecuteAsync("SET enable_seqscan = off");
            var lines = await c.QueryAsync<string>("EXPLAIN " + sql);
            await c.ExecuteAsync("RESET enable_seqscan");
            return string.Join('\n', lines);
        });

        Assert.That(plan, Does.Contain("COVERING INDEX ix_clocks_running_deadline").Or.Contain("Index Only Scan using ix_clocks_running_deadline"), plan);
        Assert.That(plan, Does.Not.Contain("TEMP B-TREE").And.Not.Contain("Sort"), "a sort holds every running clock in memory at once");
    }

    [Test]
    public async Task EachContract_StartsItsTicketsClocks_WithItsOwnTargets()
    {
        var seed = Tickets.Fault();
        var other = Tickets.Fault() with { Contract = "HQ-2027-OPS" };

        await store.ApplyTicketAsync(seed, Tickets.Reported);
        await store.ApplyTicketAsync(other, Tickets.Reported);

        var seedClocks = await store.OfTicketAsync(seed.TicketId.ToString());
        var otherClocks = await store.OfTicketAsync(other.TicketId.ToString());
        Assert.That(seedClocks.Select(c => c.Target), Is.EquivalentTo(new[] { TimeSpan.FromMinutes(30), TimeSpan.FromHours(4) }));
        Assert.That(otherClocks.Select(c => c.Target), Is.EquivalentTo(new[] { TimeSpan.FromMinutes(15), TimeSpan.FromHours(2) }));
        Assert.That(async () => await store.ApplyTicketAsync(Tickets.Fault() with { Contract = "NOBODY" }, Tickets.Reported),
            Throws.InvalidOperationException.With.Message.Contains("NOBODY"));
    }

    [Test]
    public async Task EveryBreachAndStop_IsSealedIntoTheOutcomeChain()
    {
        var ticket = Tickets.Fault();
        await store.ApplyTicketAsync(ticket, Tickets.Reported);
        await store.BreachDueAsync(Tickets.Reported.AddMinutes(31), 100);
        await store.ApplyTicketAsync(ticket.Resolved(Tickets.Reported.AddHours(1)), Tickets.Reported.AddHours(1));

        var verifier = new Ops.Hosting.Audit.EvidenceVerifier(database.Database, TestSecrets.Evidence(database.Database),
            [new Ops.Hosting.Audit.ChainedTable<ClockOutcome>(ClockStore.OutcomeChain, ("", ""), ClockSql.For(database.Database.Provider).OutcomesInChainOrder)]);
        var report = (await verifier.VerifyAsync()).Single();

        // the response breach at 31 min, its late stop at resolution, the repair clock met
        Assert.That(report.Entries, Is.EqualTo(3));
        Assert.That(report.Intact, Is.True);
    }

    [Test]
    public async Task WarnDue_RaisesEachReachedWarningPointOnce_AndPlansTheNext()
    {
        var ticket = Tickets.Fault(Severity.General);
        await store.ApplyTicketAsync(ticket, Tickets.Reported);

        // 50 % of the 30-minute response clock is reached at 15 minutes; the 24-hour repair clock's first point is 12 hours away.
        var raised = await store.WarnDueAsync(Tickets.Reported.AddMinutes(16), 100);
        var again = await store.WarnDueAsync(Tickets.Reported.AddMinutes(17), 100);

        Assert.That((raised, again), Is.EqualTo((1, 0)));
        var warning = (await database.Database.MessagesAsync<SlaWarningRaised>()).Single();
        Assert.That((warning.Clock.Clock, warning.Percent), Is.EqualTo((ClockKind.Response, 50)));
        var response = (await store.OfTicketAsync(ticket.Number)).Single(c => c.Clock == ClockKind.Response);
        Assert.That((response.WarnedPercent, response.NextWarningAt), Is.EqualTo((50, (DateTimeOffset?)Tickets.Reported.AddMinutes(24))));
        Assert.That(await store.NextDueAsync(), Is.EqualTo(Tickets.Reported.AddMinutes(24)));
    }

    [Test]
    public async Task TheListOfOpenBreaches_ShowsTheOverdueClocksOfTheScope_EarliestDeadlineFirst()
    {
        var late = Tickets.Fault(Severity.General);
        var later = Tickets.Fault(Severity.General, Tickets.Reported.AddMinutes(1));
        var elsewhere = Tickets.Fault(Severity.General) with { SiteCode = "HQ" };
        var stopped = Tickets.Fault(Severity.General);
        foreach (var ticket in new[] { late, later, elsewhere, stopped })
        {
            await store.ApplyTicketAsync(ticket, ticket.ReportedAt);
        }

        await store.BreachDueAsync(Tickets.Reported.AddMinutes(40), 100);
        await store.ApplyTicketAsync(stopped.Acknowledged(Tickets.Reported.AddMinutes(41)), Tickets.Reported.AddMinutes(41));

        var overdue = new ClockFilter(ClockState.Breached, null, OnlyOpen: true);
        var (all, total) = await store.ListAsync(overdue, 100, 0, Scope.All);
        var (site, siteTotal) = await store.ListAsync(overdue, 1, 0, Scope.Of(["OTQ-2026-OPS"], ["OTQ"]));
        var (_, none) = await store.ListAsync(overdue with { DueBefore = Tickets.Reported.AddMinutes(29) }, 100, 0, Scope.All);
        var (other, otherTotal) = await store.ListAsync(new ClockFilter(null, null, Contract: "OTQ-2026-OPS", SiteCode: "HQ"), 100, 0, Scope.Of(["OTQ-2026-OPS"]));

        Assert.That(total, Is.EqualTo(3));
        Assert.That(all.Select(c => c.TicketNumber).Take(2), Is.EquivalentTo(new[] { late.Number, elsewhere.Number }));
        Assert.That(all.Last().TicketNumber, Is.EqualTo(later.Number));
        Assert.That((site.Single().TicketNumber, siteTotal), Is.EqualTo((late.Number, 2L)));
        Assert.That(none, Is.Zero);
        Assert.That((other.Count, otherTotal), Is.EqualTo((2, 2L)), "the other site's response and repair clocks");
    }

    [Test]
    public async Task TheOpenClocksAndANoticesFacts_NameTheTicketsTitle_FromItsReportWhenEverItCame()
    {
        var ticket = Tickets.Fault(Severity.General);
        var acknowledged = ticket.Acknowledged(Tickets.Reported.AddMinutes(5));
        await store.ApplyTicketAsync(acknowledged, Tickets.Reported.AddMinutes(5));
        Assert.That(await store.ApplyTicketAsync(ticket, Tickets.Reported.AddMinutes(6), title: "大厅叫号机无法出号"), Is.False, "the report came late");

        var open = await store.OpenClocksAsync("OTQ-2026-OPS", 10);
        var clocks = await store.OfTicketAsync(ticket.Number.ToLowerInvariant());
        var response = await store.NoticeFactsAsync(clocks.Single(c => c.Clock == ClockKind.Response).Id);
        var repair = await store.NoticeFactsAsync(clocks.Single(c => c.Clock == ClockKind.Repair).Id);

        Assert.That(open.Select(c => (c.TicketNumber, c.Title, c.Clock, c.State)), Is.EqualTo(new[] { (ticket.Number, (string?)"大厅叫号机无法出号", ClockKind.Repair, ClockState.Running) }));
        Assert.That((response?.StoppedAt, response?.Title), Is.EqualTo(((DateTimeOffset?)Tickets.Reported.AddMinutes(5), (string?)"大厅叫号机无法出号")));
        Assert.That(repair?.StoppedAt, Is.Null);
        Assert.That(await store.NoticeFactsAsync(Guid.NewGuid()), Is.Null);
    }

    [Test]
    public async Task TheYearsClocks_AreReadRowByRow_FirstReportedFirst_OfTheContractAlone()
    {
        var second = Tickets.Fault(reportedAt: Tickets.Reported.AddHours(1));
        var first = Tickets.Fault();
        var otherContract = Tickets.Fault() with { Contract = "HQ-2027-OPS" };
        var nextYear = Tickets.Fault(reportedAt: Tickets.Reported.AddYears(1));
        foreach (var ticket in new[] { second, first, otherContract, nextYear })
        {
            await store.ApplyTicketAsync(ticket, ticket.ReportedAt);
        }

        var year = new List<SlaClock>();
        await foreach (var clock in store.YearAsync("OTQ-2026-OPS", Tickets.Reported.AddDays(-1), Tickets.Reported.AddMonths(6)))
        {
            year.Add(clock);
        }

        Assert.That(year.Select(c => (c.TicketNumber, c.Clock)), Is.EqualTo(new[]
        {
            (first.Number, ClockKind.Response), (first.Number, ClockKind.Repair), (second.Number, ClockKind.Response), (second.Number, ClockKind.Repair),
        }));
    }
}
