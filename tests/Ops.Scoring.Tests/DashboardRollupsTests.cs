using Dapper;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Storage;
using Ops.Scoring.Compliance;
using Ops.Scoring.Ledger;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>
/// The dashboard reads whole months and days from its roll-ups and part-days from the clock facts: checked
/// against counting every clock, over three months of clocks that breach, stop, change severity, reopen and
/// arrive out of order.
/// </summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class DashboardRollupsTests(TestStore store)
{
    private static readonly DateTimeOffset Now = Clocks.Reported.AddDays(90);
    private static readonly DateTimeOffset FirstDay = new(2026, 10, 20, 0, 0, 0, TimeSpan.FromHours(8));
    private static readonly string[] Sites = ["OTQ", "SHM"];
    private static readonly string[] Systems = ["综合一窗受理平台", "好差评"];

    // Elapsed times on the bands' edges as well as between them, and one longer than a week.
    private static readonly TimeSpan[] EdgeTimes = [TimeSpan.Zero, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(240), TimeSpan.FromHours(24), TimeSpan.FromDays(9)];

    /// <summary>The tickets of the set-up; on PostgreSQL, where each event is a transaction of its own, a fifth of them, to keep the run short.</summary>
    private int Tickets => store == TestStore.Postgres ? 100 : 500;

    private TempDatabase database = null!;
    private DeductionLedger ledger = null!;
    private SlaDashboard dashboard = null!;
    private DashboardRollups rollups = null!;
    private Dictionary<Guid, ClockFacts> latest = null!;

    [SetUp]
    public async Task RecordThreeMonthsOfClocks()
    {
        database = await TempDatabase.CreateAsync(store, typeof(DeductionLedger).Assembly);
        ledger = Seed.LedgerOn(database.Database);
        dashboard = new SlaDashboard(database.Database);
        rollups = new DashboardRollups(database.Database);
        latest = [];

        var random = new Random(20261125);
        for (var i = 0; i < Tickets; i++)
        {
            var reported = FirstDay + TimeSpan.FromMinutes(random.Next(0, 80 * 24 * 60));
            var kind = random.Next(5) == 0 ? TicketKind.Request : TicketKind.Fault;
            var severity = random.Next(3) == 0 ? Severity.Severe : Severity.General;
            var site = Sites[random.Next(Sites.Length)];
            var system = Systems[random.Next(Systems.Length)];
            var ticket = Guid.NewGuid();
            foreach (var clock in kind == TicketKind.Fault ? new[] { ClockKind.Response, ClockKind.Repair } : [ClockKind.Response, ClockKind.Completion])
            {
                // Some requests' clocks come as older events, with severity general; the newer have none.
                var running = kind == TicketKind.Request
                    ? Clocks.Request(clock, reportedAt: reported) with { SiteCode = site, System = system, TicketId = ticket, Severity = i % 2 == 0 ? Severity.General : null }
                    : Clocks.Running(clock, severity, reported, site, system, kind, ticket);
                await RecordLifeAsync(random, running);
            }
        }
    }

    [TearDown]
    public async Task DropStore() => await database.DisposeAsync();

    /// <summary>A clock's events: it may breach, stop, change severity and reopen; some events arrive twice or late.</summary>
    private async Task RecordLifeAsync(Random random, ClockFacts clock)
    {
        TimeSpan Elapsed() => random.Next(4) == 0 ? EdgeTimes[random.Next(EdgeTimes.Length)] : TimeSpan.FromMinutes(random.Next(0, 48 * 60) + random.NextDouble());

        var versions = new List<ClockFacts> { clock };
        if (random.Next(4) == 0)
        {
            versions.Add(versions[^1].Breached());
        }

        if (random.Next(10) < 8)
        {
            versions.Add(versions[^1].StoppedAfter(Elapsed()));
        }

        if (clock.Kind == TicketKind.Fault && random.Next(8) == 0)
        {
            var changed = versions[^1] with { Sequence = versions[^1].Sequence + 1, Severity = versions[^1].Severity == Severity.Severe ? Severity.General : Severity.Severe };
            versions.Add(changed);
        }

        if (clock.Kind == TicketKind.Fault && versions[^1].StoppedAt is not null && random.Next(8) == 0)
        {
            var reopened = versions[^1] with { Sequence = versions[^1].Sequence + 1, StoppedAt = null, State = ClockState.Running, Reopens = 1, Excluded = TimeSpan.FromHours(random.Next(1, 6)) };
            versions.Add(reopened);
            if (random.Next(2) == 0)
            {
                versions.Add(reopened.StoppedAfter(Elapsed()));
            }
        }

        var arrivals = versions.ToList();
        if (arrivals.Count > 2 && random.Next(4) == 0)
        {
            (arrivals[^1], arrivals[^2]) = (arrivals[^2], arrivals[^1]);
        }

        if (random.Next(6) == 0)
        {
            arrivals.Add(arrivals[random.Next(arrivals.Count)]);
        }

        foreach (var version in arrivals)
        {
            await ledger.RecordClockAsync(version, Now);
        }

        latest[clock.ClockId] = versions[^1];
    }

    private static IEnumerable<DashboardFilter> Filters()
    {
        var shanghai = TimeSpan.FromHours(8);
        yield return new DashboardFilter(Seed.Contract, FirstDay.AddDays(-30), FirstDay.AddDays(120), null, null, null);
        yield return new DashboardFilter(Seed.Contract, FirstDay.AddDays(2).AddHours(13).AddMinutes(17), FirstDay.AddDays(9).AddHours(5).AddMinutes(3), null, null, null);
        yield return new DashboardFilter(Seed.Contract, FirstDay.AddDays(4), FirstDay.AddDays(5), null, null, null);
        yield return new DashboardFilter(Seed.Contract, FirstDay.AddDays(6).AddHours(20), FirstDay.AddDays(7).AddHours(3), null, null, null);
        yield return new DashboardFilter(Seed.Contract, FirstDay.AddDays(3).AddHours(1), FirstDay.AddDays(3).AddHours(11), null, null, null);
        yield return new DashboardFilter(Seed.Contract, new DateTimeOffset(2026, 11, 12, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), "SHM", null, null);
        yield return new DashboardFilter(Seed.Contract, FirstDay.AddDays(1).AddHours(7), FirstDay.AddDays(11), null, "好差评", Severity.Severe);
        yield return new DashboardFilter(Seed.Contract, FirstDay, FirstDay.AddDays(12), "OTQ", null, Severity.General);
        yield return new DashboardFilter(Seed.Contract, new DateTimeOffset(2026, 11, 15, 9, 30, 0, shanghai), new DateTimeOffset(2026, 11, 15, 9, 30, 0, shanghai), null, null, null);
        yield return new DashboardFilter(Seed.Contract, new DateTimeOffset(2026, 11, 1, 0, 0, 0, shanghai), new DateTimeOffset(2026, 12, 1, 0, 0, 0, shanghai), null, null, null);
        yield return new DashboardFilter(Seed.Contract, new DateTimeOffset(2026, 10, 25, 12, 0, 0, shanghai), new DateTimeOffset(2027, 1, 3, 7, 0, 0, shanghai), null, null, null);
        yield return new DashboardFilter(Seed.Contract, new DateTimeOffset(2026, 11, 1, 0, 0, 0, shanghai), new DateTimeOffset(2027, 1, 1, 0, 0, 0, shanghai), "SHM", null, Severity.General);
        yield return new DashboardFilter(Seed.Contract, new DateTimeOffset(2026, 11, 30, 16, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 31, 16, 0, 0, TimeSpan.Zero), null, "好差评", null);
    }

    [Test]
    public async Task EveryFigure_IsWhatCountingEveryClockGives_HoweverThePeriodCutsTheDays()
    {
        foreach (var filter in Filters())
        {
            var shown = await dashboard.ComplianceAsync(filter);

            Assert.That(shown, Is.EqualTo(CountingEveryClock(filter)), $"{filter}");
        }

        Assert.That((await dashboard.ComplianceAsync(Filters().First())).Faults, Is.GreaterThan(Tickets * 7 / 10), "the period has the clocks recorded");
    }

    [Test]
    public async Task TheRollupsKeptAsClocksChange_AreWhatARebuildFromTheClockFactsGives()
    {
        var kept = await RollupRowsAsync();
        Assert.That(await rollups.MissingAsync(), Is.False);

        await database.Database.WriteAsync(t => t.ExecuteAsync("DELETE FROM clock_rollups"));
        Assert.That(await rollups.MissingAsync(), Is.True, "facts without roll-ups are noticed at start-up");
        var counted = await rollups.RebuildAsync();

        Assert.That(counted, Is.EqualTo(latest.Count));
        Assert.That(await RollupRowsAsync(), Is.EqualTo(kept));
        Assert.That(await dashboard.ComplianceAsync(Filters().First()), Is.EqualTo(CountingEveryClock(Filters().First())));
    }

    [Test]
    public async Task OnPostgreSql_TheRebuildWritesEveryRowWithOneStatement_ThatTheServerPreparesOnce()
    {
        if (store != TestStore.Postgres)
        {
            Assert.Ignore("A PostgreSQL session's prepared statements.");
        }

        await database.Database.WriteAsync(t => t.ExecuteAsync("DELETE FROM clock_rollups"));
        await rollups.RebuildAsync();

        // Npgsql prepares a statement on its fifth run: the rows' one statement, with every band's counter, is;
        // a statement of the counters each row has (a different one for nearly every row) would be parsed and planned for each.
        var prepared = await database.Database.ReadAsync(c => c.QueryAsync<string>(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO clock_rollups%'"));
        Assert.That(prepared.Where(s => s.Contains(string.Join(", ", ElapsedBands.Columns), StringComparison.Ordinal)), Has.Exactly(1).Items);
    }

    [Test]
    public async Task AClockWhoseSeverityChanged_CountsOnlyUnderItsNewSeverity()
    {
        var severe = Clocks.Running(ClockKind.Response, Severity.Severe, new DateTimeOffset(2027, 2, 15, 9, 0, 0, TimeSpan.FromHours(8))); // after the clocks of the set-up
        await ledger.RecordClockAsync(severe.StoppedAfter(TimeSpan.FromMinutes(12)), Now);
        var shanghai = TimeSpan.FromHours(8);
        var filter = new DashboardFilter(Seed.Contract, new DateTimeOffset(2027, 2, 1, 0, 0, 0, shanghai), new DateTimeOffset(2027, 3, 1, 0, 0, 0, shanghai), null, null, Severity.Severe);
        Assert.That((await dashboard.ComplianceAsync(filter)).Faults, Is.EqualTo(1));

        var general = severe.StoppedAfter(TimeSpan.FromMinutes(12)) with { Sequence = 5, Severity = Severity.General };
        await ledger.RecordClockAsync(general, Now);

        Assert.That((await dashboard.ComplianceAsync(filter)).Faults, Is.EqualTo(0));
        var asGeneral = await dashboard.ComplianceAsync(filter with { Severity = Severity.General });
        Assert.That((asGeneral.Faults, asGeneral.P90AcknowledgeMinutes), Is.EqualTo((1L, (decimal?)12.0m)));
    }

    [TestCase(BreakdownBy.Month)]
    [TestCase(BreakdownBy.Site)]
    [TestCase(BreakdownBy.System)]
    public async Task ABreakdownsRows_AreEachTheDashboardOfTheirGroup_AndAddUpToTheWhole(BreakdownBy by)
    {
        foreach (var filter in Filters())
        {
            var whole = await dashboard.ComplianceAsync(filter);
            var breakdown = await dashboard.BreakdownAsync(filter, by);

            foreach (var row in breakdown.Rows)
            {
                var group = new DashboardFilter(filter.Contract, row.From, row.To, row.SiteCode, row.System, filter.Severity);
                Assert.That(row, Is.EqualTo(await dashboard.ComplianceAsync(group)), $"{by} {row.From:O} {row.SiteCode} {row.System} of {filter}");
                Assert.That(row, Is.EqualTo(CountingEveryClock(group)), $"{by} {row.From:O} {row.SiteCode} {row.System} of {filter}");
            }

            long Sum(Func<SlaCompliance, long> figure) => breakdown.Rows.Sum(figure);
            Assert.That(
                new[] { Sum(r => r.Faults), Sum(r => r.Responded), Sum(r => r.RespondedOnTime), Sum(r => r.Repaired), Sum(r => r.RepairedOnTime), Sum(r => r.OpenBreaches), Sum(r => r.Reopened), Sum(r => r.Requests), Sum(r => r.Completed), Sum(r => r.CompletedOnTime) },
                Is.EqualTo(new[] { whole.Faults, whole.Responded, whole.RespondedOnTime, whole.Repaired, whole.RepairedOnTime, whole.OpenBreaches, whole.Reopened, whole.Requests, whole.Completed, whole.CompletedOnTime }),
                $"{by} of {filter}");
            Assert.That((breakdown.From, breakdown.To, breakdown.SiteCode, breakdown.System, breakdown.Severity), Is.EqualTo((filter.From, filter.To, filter.SiteCode, filter.System, filter.Severity)));
        }
    }

    [Test]
    public async Task AMonthlyBreakdown_HasEveryShanghaiMonthOfThePeriod_TheFirstAndLastCutByIt_AndSitesOnlyThoseWithClocks()
    {
        var shanghai = TimeSpan.FromHours(8);
        var filter = new DashboardFilter(Seed.Contract, new DateTimeOffset(2026, 9, 15, 12, 0, 0, shanghai), new DateTimeOffset(2027, 1, 10, 0, 0, 0, shanghai), null, null, null);

        var months = await dashboard.BreakdownAsync(filter, BreakdownBy.Month);
        var sites = await dashboard.BreakdownAsync(filter with { SiteCode = "SHM" }, BreakdownBy.Site);

        Assert.That(months.Rows.Select(r => (r.From, r.To)), Is.EqualTo(new[]
        {
            (filter.From, new DateTimeOffset(2026, 10, 1, 0, 0, 0, shanghai)),
            (new DateTimeOffset(2026, 10, 1, 0, 0, 0, shanghai), new DateTimeOffset(2026, 11, 1, 0, 0, 0, shanghai)),
            (new DateTimeOffset(2026, 11, 1, 0, 0, 0, shanghai), new DateTimeOffset(2026, 12, 1, 0, 0, 0, shanghai)),
            (new DateTimeOffset(2026, 12, 1, 0, 0, 0, shanghai), new DateTimeOffset(2027, 1, 1, 0, 0, 0, shanghai)),
            (new DateTimeOffset(2027, 1, 1, 0, 0, 0, shanghai), filter.To),
        }));
        Assert.That((months.Rows[0].Faults, months.Rows[0].ResponseRate), Is.EqualTo((0L, (decimal?)null)), "September has no faults, and no rate");
        Assert.That(months.Rows[1].Faults, Is.GreaterThan(0));
        Assert.That((await dashboard.BreakdownAsync(filter, BreakdownBy.Site)).Rows.Select(r => r.SiteCode), Is.EqualTo(Sites));
        Assert.That(sites.Rows.Select(r => r.SiteCode), Is.EqualTo(new[] { "SHM" }));
    }

    private async Task<List<string>> RollupRowsAsync() =>
        (await database.Database.ReadAsync(c => c.QueryAsync("SELECT * FROM clock_rollups ORDER BY contract, span, period_start, site_code, system, severity, ticket_kind, clock")))
            .Select(row => ((IDictionary<string, object?>)row).Values.ToList())
            .Where(values => values.Skip(8).Any(v => Convert.ToInt64(v) != 0)) // a row whose clocks all moved away counts nothing
            .Select(values => string.Join("|", values))
            .ToList();

    private SlaCompliance CountingEveryClock(DashboardFilter f)
    {
        var facts = latest.Values.Where(c => c.Contract == f.Contract && c.ReportedAt >= f.From && c.ReportedAt < f.To
            && (f.SiteCode is null || c.SiteCode == f.SiteCode) && (f.System is null || c.System == f.System)
            && (f.Severity is null || (c.Kind == TicketKind.Fault && c.Severity == f.Severity))).ToList(); // a severity is a fault's
        var response = facts.Where(c => c.Kind == TicketKind.Fault && c.Clock == ClockKind.Response).ToList();
        var repair = facts.Where(c => c.Kind == TicketKind.Fault && c.Clock == ClockKind.Repair).ToList();
        var completion = facts.Where(c => c.Clock == ClockKind.Completion).ToList();

        static long Stopped(List<ClockFacts> clocks) => clocks.Count(c => c.StoppedAt is not null);
        static long InTime(List<ClockFacts> clocks) => clocks.Count(c => c.StoppedAt is not null && c.State == ClockState.Met);
        static long OpenBreaches(List<ClockFacts> clocks) => clocks.Count(c => c.StoppedAt is null && c.State == ClockState.Breached);
        static List<long> Elapsed(List<ClockFacts> clocks) =>
            clocks.Where(c => c.StoppedAt is not null).Select(c => (long)(c.StoppedAt!.Value - c.StartedAt - c.Excluded).TotalMilliseconds).Order().ToList();
        static double? Mean(List<ClockFacts> clocks) => Elapsed(clocks) is { Count: > 0 } e ? e.Average() : null;
        static double? P90(List<ClockFacts> clocks) => Elapsed(clocks) is { Count: > 0 } e ? e[(int)Percentile.NearestRankIndex(e.Count, 0.9)] : null;

        return new SlaCompliance(
            f.Contract, f.From, f.To, f.SiteCode, f.System, f.Severity,
            response.Count,
            Stopped(response),
            InTime(response),
            Percentile.Rate(InTime(response), Stopped(response) + OpenBreaches(response)),
            Stopped(repair),
            InTime(repair),
            Percentile.Rate(InTime(repair), Stopped(repair) + OpenBreaches(repair)),
            OpenBreaches(response) + OpenBreaches(repair),
            repair.Count(c => c.Reopens > 0),
            Percentile.Minutes(Mean(response)),
            Percentile.Minutes(P90(response)),
            Percentile.Minutes(Mean(repair)),
            Percentile.Minutes(P90(repair)),
            completion.Count,
            Stopped(completion),
            InTime(completion),
            Percentile.Rate(InTime(completion), Stopped(completion) + OpenBreaches(completion)));
    }
}

/// <summary>The elapsed-time bands of the dashboard's histogram.</summary>
public class ElapsedBandsTests
{
    [Test]
    public void EachElapsedTime_FallsInTheBandWhoseRangeHoldsIt()
    {
        foreach (var ms in new long[] { -5, 0, 59_999, 60_000, 1_799_999, 1_800_000, 86_400_000, 604_800_000, long.MaxValue / 2 })
        {
            var (from, to) = ElapsedBands.Range(ElapsedBands.Of(ms));
            Assert.That(ms, Is.GreaterThanOrEqualTo(from).And.LessThan(to), $"{ms} ms");
        }

        Assert.That(Enumerable.Range(1, ElapsedBands.Count - 1).All(b => ElapsedBands.Range(b).From == ElapsedBands.Range(b - 1).To), "the bands leave no gaps");
    }
}
