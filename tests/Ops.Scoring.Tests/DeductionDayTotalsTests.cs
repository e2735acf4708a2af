using Dapper;
using Ops.Contracts.Sla;
using Ops.Hosting.Audit;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Scoring.Compliance;
using Ops.Scoring.Ledger;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>
/// The ledger's day totals (<c>deduction_day_totals</c>, script 0013): kept by the ledger's own trigger, whatever writes an
/// entry, so that an item's totals over any period equal the sum of its entries.
/// </summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class DeductionDayTotalsTests(TestStore store)
{
    private static readonly Actor LiNa = new("user:lina", "李娜");

    /// <summary>Shanghai midnight between 24 and 25 November 2026, as UTC.</summary>
    private static readonly DateTimeOffset Midnight = new(2026, 11, 24, 16, 0, 0, TimeSpan.Zero);

    private TempDatabase database = null!;
    private DeductionLedger ledger = null!;
    private LedgerSql sql = null!;

    /// <summary>The store's shortest step of time: a tick, or PostgreSQL's microsecond.</summary>
    private TimeSpan Instant => store == TestStore.Postgres ? TimeSpan.FromMicroseconds(1) : TimeSpan.FromTicks(1);

    [SetUp]
    public async Task CreateLedger()
    {
        database = await TempDatabase.CreateAsync(store, typeof(DeductionLedger).Assembly);
        ledger = Seed.LedgerOn(database.Database);
        sql = LedgerSql.For(database.Database.Provider);
    }

    [TearDown]
    public async Task DropLedger() => await database.DisposeAsync();

    [Test]
    public async Task ItemTotals_OfAnyPeriod_EqualTheSumOfItsEntries_WithRetractionsAndWaivers_AcrossShanghaiMidnights()
    {
        var now = Midnight.AddDays(10);
        // Breaches due a minute either side of Shanghai midnights (a repair clock of 4 hours is due 4 hours after its report).
        var breaches = new List<ClockFacts>();
        foreach (var day in new[] { -1, 0, 1 })
        {
            foreach (var minutes in new[] { -1, 0, 1 })
            {
                var clock = Clocks.Running(reportedAt: Midnight.AddDays(day).AddMinutes(minutes).AddHours(-4));
                await ledger.RecordClockAsync(clock, now);
                await ledger.RecordClockAsync(clock.Breached(), now);
                breaches.Add(clock.Breached());
            }
        }

        // One taken back by a stop in time that arrived late, one waived, a late service request (item 9), manual entries.
        await ledger.RecordClockAsync(breaches[1].StoppedAfter(TimeSpan.FromHours(3)), now);
        var entries = await EntriesAsync();
        var (_, refusal) = await ledger.WaiveAsync(entries.First(e => e.ClockId == breaches[4].ClockId).Id, "盟级统一平台故障", LiNa, now, Scope.All);
        Assert.That(refusal, Is.Null);
        await ledger.RecordClockAsync(Clocks.Request(ClockKind.Completion, reportedAt: Midnight.AddHours(-14)).Breached(), now);
        foreach (var (item, occurred) in new[] { (1, Midnight - Instant), (1, Midnight), (12, Midnight.AddDays(1).AddSeconds(30)), (15, Midnight.AddDays(-2)) })
        {
            await ledger.AddManualAsync(Seed.Terms, item, 1.25m, "巡检报告未按时提交", occurred, LiNa, now);
        }

        entries = await EntriesAsync();
        Assert.That(entries.Select(e => e.Source).Distinct().Count(), Is.EqualTo(4), "breaches, a retraction, a waiver and manual entries");

        var cuts = new[]
        {
            Midnight.AddDays(-3), Midnight.AddDays(-1).AddMinutes(-1), Midnight.AddDays(-1), Midnight.AddHours(-3).AddMinutes(-59),
            Midnight - Instant, Midnight, Midnight.AddMinutes(1), Midnight.AddHours(7), Midnight.AddDays(1), Midnight.AddDays(1).AddMinutes(1),
            Midnight.AddDays(4),
        };
        var periods = cuts.SelectMany(from => cuts.Where(to => to >= from).Select(to => (from, to))).Append(Seed.Terms.Period);
        foreach (var (from, to) in periods)
        {
            var expected = entries.Where(e => e.OccurredAt >= from && e.OccurredAt < to).GroupBy(e => e.Item)
                .Select(g => (g.Key, g.Sum(e => e.PointsHundredths), (long)g.Count())).OrderBy(t => t.Key);
            var totals = await database.Database.ReadAsync(c => c.QueryAsync<ItemTotal>(sql.ItemTotals, LedgerSql.PeriodParameters(Seed.Contract, from, to)));
            Assert.That(totals.Select(t => (t.Item, t.Hundredths, t.Entries)).OrderBy(t => t.Item), Is.EqualTo(expected), $"[{from:O}, {to:O})");
        }

        var year = await ledger.ItemTotalsAsync(Seed.Terms);
        Assert.That(year.Sum(t => t.Entries), Is.EqualTo(entries.Count));
        Assert.That(year.Single(t => t.Item == 1).Hundredths, Is.EqualTo(250));
    }

    [Test]
    public async Task TheScript_TotalsTheEntriesBefore_EmptiesTheRollupsOfTheOldBands_AndTheTriggerAddsTheNextEntry()
    {
        await using var old = await TempDatabase.CreateAsync(store);
        await old.Database.WriteAsync(async t =>
        {
            foreach (var script in SchemaMigrator.ScriptsIn(typeof(DeductionLedger).Assembly, old.Database.Provider).Where(s => s.Version < 13))
            {
                await t.ExecuteAsync(script.Sql);
                await t.ExecuteAsync(
                    "INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (@Component, @Version, @Name, @Now)",
                    new { script.Component, script.Version, script.Name, Now = Clocks.Reported });
            }
        });

        // Entries written before, the way the benchmark seeds them: straight into the table, sealed or not.
        var written = new[] { (6, Midnight.AddMinutes(-1), 200L), (6, Midnight.AddMinutes(1), 200L), (6, Midnight.AddMinutes(2), -200L), (3, Midnight.AddMinutes(-2), 50L) };
        var clock = Clocks.Running().StoppedInTime();
        await old.Database.WriteAsync(async t =>
        {
            foreach (var (item, occurred, hundredths) in written)
            {
                await t.ExecuteAsync(sql.Insert, DeductionLedger.EntryParameters(new Deduction
                {
                    EntryNo = 0, Id = Guid.NewGuid(), Contract = Seed.Contract, Item = item, PointsHundredths = hundredths,
                    Source = hundredths > 0 ? DeductionSource.Manual : DeductionSource.Waiver, Reason = "旧条目", OccurredAt = occurred,
                    RecordedAt = occurred, RecordedBy = "李娜",
                }));
            }

            await t.ExecuteAsync(sql.InsertClockFacts, DeductionLedger.FactParameters(clock));
            await t.ExecuteAsync(
                "INSERT INTO clock_rollups (contract, span, period_start, site_code, system, severity, ticket_kind, clock, clocks, h44) VALUES (@Contract, 'day', @Midnight, 'OTQ', 'x', 'severe', 'fault', 'repair', 1, 1)",
                new { Contract = Seed.Contract, Midnight });
        });

        var applied = await SchemaMigrator.MigrateAsync(old.Database, [typeof(DeductionLedger).Assembly]);
        var day = (await DayTotalsAsync(old.Database)).ToList();

        Assert.That(applied.Select(s => s.Version), Does.Contain(13));
        Assert.That(day, Is.EqualTo(new[]
        {
            (Midnight.AddDays(-1), 3, 50L, 1L),
            (Midnight.AddDays(-1), 6, 200L, 1L),
            (Midnight, 6, 0L, 2L),
        }));
        var rollups = new DashboardRollups(old.Database);
        Assert.That(await rollups.MissingAsync(), Is.True, "the roll-ups of the old bands are emptied, to be built again");
        Assert.That(await rollups.RebuildAsync(), Is.EqualTo(1));

        await Seed.LedgerOn(old.Database).AddManualAsync(Seed.Terms, 6, 1.5m, "新条目", Midnight.AddHours(3), LiNa, Midnight.AddDays(1));
        Assert.That((await DayTotalsAsync(old.Database)).Last(), Is.EqualTo((Midnight, 6, 150L, 3L)));
    }

    private async Task<IReadOnlyList<Deduction>> EntriesAsync() =>
        (await database.Database.ReadAsync(c => c.QueryAsync<Deduction>(sql.LedgerInChainOrder))).AsList();

    private static async Task<IEnumerable<(DateTimeOffset, int, long, long)>> DayTotalsAsync(Database store) =>
        (await store.ReadAsync(c => c.QueryAsync<DayTotal>(
            "SELECT day_start AS DayStart, item AS Item, hundredths AS Hundredths, entries AS Entries FROM deduction_day_totals ORDER BY day_start, item")))
        .Select(r => (r.DayStart, r.Item, r.Hundredths, r.Entries));

    private sealed record DayTotal
    {
        public DateTimeOffset DayStart { get; init; }
        public int Item { get; init; }
        public long Hundredths { get; init; }
        public long Entries { get; init; }
    }
}
