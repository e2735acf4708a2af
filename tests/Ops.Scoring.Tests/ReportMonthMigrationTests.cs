using Dapper;
using Ops.Contracts.Sla;
using Ops.Hosting.Storage;
using Ops.Scoring.Compliance;
using Ops.Scoring.Ledger;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>Clock facts stored before the Shanghai month of report was kept beside them (script 0011).</summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class ReportMonthMigrationTests(TestStore store)
{
    private TempDatabase database = null!;

    [SetUp]
    public async Task CreateStoreOfTheOldSchema()
    {
        database = await TempDatabase.CreateAsync(store);
        await database.Database.WriteAsync(async t =>
        {
            foreach (var script in SchemaMigrator.ScriptsIn(typeof(DeductionLedger).Assembly, database.Database.Provider).Where(s => s.Version < 11))
            {
                await t.ExecuteAsync(script.Sql);
                await t.ExecuteAsync(
                    "INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (@Component, @Version, @Name, @Now)",
                    new { script.Component, script.Version, script.Name, Now = Clocks.Reported });
            }
        });
    }

    [TearDown]
    public async Task DropStore() => await database.DisposeAsync();

    [Test]
    public async Task FactsStoredBefore_GetTheShanghaiMonthOfTheirReport_AndNewOnesTheSame()
    {
        // 23:59 and 00:01 in Shanghai on the last and first day of a month: UTC sees both in October.
        var lateInOctober = new DateTimeOffset(2026, 10, 31, 15, 59, 0, TimeSpan.Zero);
        var earlyInNovember = new DateTimeOffset(2026, 10, 31, 16, 1, 0, TimeSpan.Zero);
        foreach (var reported in new[] { lateInOctober, earlyInNovember })
        {
            var parameters = DeductionLedger.FactParameters(Clocks.Running(reportedAt: reported).StoppedInTime());
            await database.Database.WriteAsync(t => t.ExecuteAsync(
                """
                INSERT INTO clock_facts (clock_id, sequence, ticket_id, ticket_number, contract, clock, ticket_kind, severity, site_code,
                    system, reported_at, target_seconds, started_at, deadline, state, breached_at, stopped_at, elapsed_ms, reopens)
                VALUES (@ClockId, @Sequence, @TicketId, @TicketNumber, @Contract, @Clock, @TicketKind, @Severity, @SiteCode,
                    @System, @ReportedAt, @TargetSeconds, @StartedAt, @Deadline, @State, @BreachedAt, @StoppedAt, @ElapsedMs, @Reopens)
                """, parameters));
        }

        var applied = await SchemaMigrator.MigrateAsync(database.Database, [typeof(DeductionLedger).Assembly]);
        var recorded = Clocks.Running(reportedAt: earlyInNovember.AddDays(40)).StoppedInTime();
        await Seed.LedgerOn(database.Database).RecordClockAsync(recorded, Clocks.Reported);

        Assert.That(applied.Select(s => s.Version), Does.Contain(11));
        var months = await database.Database.ReadAsync(c => c.QueryAsync<string>("SELECT report_month FROM clock_facts ORDER BY reported_at"));
        Assert.That(months, Is.EqualTo(new[] { "2026-10", "2026-11", "2026-12" }));
        Assert.That(ShanghaiCalendar.MonthKey(recorded.ReportedAt), Is.EqualTo("2026-12"));
    }
}
