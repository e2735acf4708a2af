using Dapper;
using Ops.Contracts.Scoring;
using Ops.Contracts.Sla;
using Ops.Hosting.Audit;
using Ops.Hosting.Storage;
using Ops.Scoring.Compliance;
using Ops.Scoring.Ledger;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>
/// Two scoring instances on one PostgreSQL database, consuming the same queue: handed the same SLA events at the same
/// moment, they deduct every breach once and take every breach back once, count every clock once in the dashboard's
/// roll-ups, cross each assessment line once, and keep the ledger's chain whole.
/// </summary>
public class TwoLedgersOnPostgresTests
{
    private static readonly DateTimeOffset Now = Clocks.Reported.AddDays(1);

    private static readonly Ops.Hosting.Security.Actor LiNa = new("user:lina", "李娜");

    private string name = null!;
    private Database first = null!;
    private Database second = null!;

    [SetUp]
    public async Task CreateOneDatabaseForTwoInstances()
    {
        (name, var connectionString) = await PostgresServer.CreateDatabaseAsync();
        first = new Database(SqlProvider.Postgres, connectionString);
        second = new Database(SqlProvider.Postgres, connectionString);
        await SchemaMigrator.MigrateAsync(first, [typeof(Database).Assembly, typeof(DeductionLedger).Assembly]);
    }

    [TearDown]
    public async Task DropDatabase()
    {
        await first.DisposeAsync();
        await second.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(name);
    }

    [Test]
    public async Task TheSameBreachesTakenByBothAtOnce_AreEachDeductedOnce_AndTakenBackOnce()
    {
        var ledgers = new[] { Seed.LedgerOn(first), Seed.LedgerOn(second) };
        // Half the clocks known to both before their breach (the second waits for the first at the clock's row), half new
        // to both (the second's insert waits for the first's, then stores nothing).
        var clocks = Enumerable.Range(0, 40).Select(i => Clocks.Running(reportedAt: Clocks.Reported.AddMinutes(i))).ToList();
        foreach (var clock in clocks.Take(20))
        {
            await ledgers[0].RecordClockAsync(clock, Now);
        }

        // 15 points before: the breaches (item 6, at most 10 points) cross the 20-point line.
        await ledgers[0].AddManualAsync(Seed.Terms, 4, 10, "整改未完成", Now, LiNa, Now);
        await ledgers[1].AddManualAsync(Seed.Terms, 5, 5, "整改未完成", Now, LiNa, Now);

        var firstTakes = await BothAtOnceAsync(ledgers, [.. clocks.Select(c => c.Breached())]);
        var retractionTakes = await BothAtOnceAsync(ledgers, [.. clocks.Take(10).Select(c => c.Breached().StoppedInTime())]);

        Assert.That((firstTakes, retractionTakes), Is.EqualTo((40, 10)), "each event changed the store once, by one instance or the other");
        var entries = (await first.ReadAsync(c => c.QueryAsync<Deduction>(LedgerSql.For(SqlProvider.Postgres).LedgerInChainOrder))).ToList();
        Assert.That(clocks.Select(c => entries.Count(e => e.ClockId == c.ClockId && e.Source == DeductionSource.Breach)), Is.All.EqualTo(1));
        Assert.That(entries.Count(e => e.Source == DeductionSource.Retraction), Is.EqualTo(10));
        Assert.That(entries, Has.Count.EqualTo(52), "40 breaches, 10 retractions, 2 manual entries");
        Assert.That(entries.Where(e => e.Compensates is not null).Select(e => e.Compensates).Distinct().Count(), Is.EqualTo(10));
        Assert.That((await first.MessagesAsync<DeductionRecorded>()).Select(m => m.DeductionId), Is.EquivalentTo(entries.Select(e => e.Id)));
        Assert.That((await first.MessagesAsync<AssessmentThresholdCrossed>()).Select(m => m.Threshold), Is.EqualTo(new[] { 20m }), "the line crossed once");

        var verifier = new EvidenceVerifier(first, TestSecrets.Evidence(first),
            [new ChainedTable<Deduction>(DeductionLedger.LedgerChain, ("", ""), LedgerSql.For(SqlProvider.Postgres).LedgerInChainOrder)]);
        var chain = (await verifier.VerifyAsync()).Single();
        Assert.That((chain.Entries, chain.Intact), Is.EqualTo((52L, true)), chain.FirstBroken?.ToString());

        var filter = new DashboardFilter(Seed.Contract, Seed.Terms.Period.From, Seed.Terms.Period.To, null, null, null);
        var dashboard = new SlaDashboard(second);
        var kept = await dashboard.ComplianceAsync(filter);
        Assert.That((kept.Repaired, kept.RepairedOnTime, kept.OpenBreaches), Is.EqualTo((10L, 10L, 30L)));
        Assert.That(await new DashboardRollups(first).RebuildAsync(), Is.EqualTo(40));
        Assert.That(await dashboard.ComplianceAsync(filter), Is.EqualTo(kept), "the roll-ups kept by both are what counting every clock gives");
    }

    [Test]
    public async Task AnEntryAtAMomentFinerThanAMicrosecond_IsSealedAsStored_AndVerifies()
    {
        var ledger = Seed.LedgerOn(first);
        var running = Clocks.Running();
        var clock = running with { Deadline = running.Deadline.AddTicks(7) };

        await ledger.RecordClockAsync(clock.Breached(), Now.AddTicks(3));
        await ledger.AddManualAsync(Seed.Terms, 13, 1, "档案缺失", Now.AddTicks(5), LiNa, Now.AddTicks(9));

        var verifier = new EvidenceVerifier(first, TestSecrets.Evidence(first),
            [new ChainedTable<Deduction>(DeductionLedger.LedgerChain, ("", ""), LedgerSql.For(SqlProvider.Postgres).LedgerInChainOrder)]);
        var chain = (await verifier.VerifyAsync()).Single();
        Assert.That((chain.Entries, chain.Intact), Is.EqualTo((2L, true)), chain.FirstBroken?.ToString());
    }

    /// <summary>Both ledgers record every event, in the same order, at the same time; returns how many recordings changed the store.</summary>
    private static async Task<int> BothAtOnceAsync(DeductionLedger[] ledgers, IReadOnlyList<ClockFacts> events)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = ledgers.Select(ledger => Task.Run(async () =>
        {
            await start.Task;
            var changed = 0;
            foreach (var clock in events)
            {
                changed += await ledger.RecordClockAsync(clock, Now) ? 1 : 0;
            }

            return changed;
        })).ToList();
        start.SetResult();
        return (await Task.WhenAll(runs)).Sum();
    }
}
