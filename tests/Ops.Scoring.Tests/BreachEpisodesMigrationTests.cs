using Dapper;
using Ops.Contracts.Sla;
using Ops.Hosting.Audit;
using Ops.Hosting.Storage;
using Ops.Hosting.Security;
using Ops.Scoring.Ledger;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>A ledger written under the schema of one breach entry per clock, brought to breach episodes (script 0007).</summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class BreachEpisodesMigrationTests(TestStore store)
{
    private static readonly DateTimeOffset Now = Clocks.Reported.AddDays(1);

    private TempDatabase database = null!;

    [SetUp]
    public async Task CreateLedgerOfTheOldSchema()
    {
        database = await TempDatabase.CreateAsync(store);
        await database.Database.WriteAsync(async t =>
        {
            // Every script but 0007: the ledger code writing the old entries needs the columns later scripts add.
            foreach (var script in SchemaMigrator.ScriptsIn(typeof(DeductionLedger).Assembly, database.Database.Provider).Where(s => s.Version != 7))
            {
                await t.ExecuteAsync(script.Sql);
                await t.ExecuteAsync(
                    "INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (@Component, @Version, @Name, @Now)",
                    new { script.Component, script.Version, script.Name, Now });
            }
        });
    }

    [TearDown]
    public async Task DropLedger() => await database.DisposeAsync();

    [Test]
    public async Task AnExistingLedger_StillVerifiesAfterTheMigration_AndAClocksNewBreachIsDeducted()
    {
        var ledger = Seed.LedgerOn(database.Database);
        var breached = Clocks.Running().Breached();
        var waived = Clocks.Running(ClockKind.Response).Breached();
        await ledger.RecordClockAsync(breached, Now);
        await ledger.RecordClockAsync(breached.StoppedInTime(), Now);
        await ledger.RecordClockAsync(waived, Now);
        await ledger.WaiveAsync((await EntriesAsync()).Last().Id, "非乙方责任", new Actor("user:lina", "李娜"), Now, Scope.All);
        await ledger.AddManualAsync(Seed.Terms, 8, 1, "10月月报逾期5天提交", Now, new Actor("user:lina", "李娜"), Now);
        var before = await EntriesAsync();
        Assert.That(await IndexesAsync(), Does.Contain("ux_deductions_clock_source"), "the old schema");

        var applied = await SchemaMigrator.MigrateAsync(database.Database, [typeof(DeductionLedger).Assembly]);

        Assert.That(applied.Select(s => s.Version), Does.Contain(7));
        Assert.That(await IndexesAsync(), Does.Not.Contain("ux_deductions_clock_source").And.Contain("ux_deductions_breach_episode"));
        Assert.That(await EntriesAsync(), Is.EqualTo(before), "every entry, hash and all, as it was");
        Assert.That((await VerifyAsync()).Entries, Is.EqualTo(5));

        var breachedAgain = breached.StoppedInTime().Reopened(TimeSpan.FromHours(2)).Breached();
        await ledger.RecordClockAsync(breachedAgain, Now);
        await ledger.RecordClockAsync(breachedAgain, Now);

        var after = await EntriesAsync();
        Assert.That(after.Where(e => e.ClockId == breached.ClockId).Select(e => e.Source),
            Is.EqualTo(new[] { DeductionSource.Breach, DeductionSource.Retraction, DeductionSource.Breach }));
        var report = await VerifyAsync();
        Assert.That((report.Entries, report.Intact), Is.EqualTo((6L, true)));
        Assert.That(async () => await database.Database.WriteAsync(t => t.ExecuteAsync("DELETE FROM deductions")),
            Throws.Exception.With.Message.Contains("append-only"));
    }

    private async Task<IReadOnlyList<Deduction>> EntriesAsync() =>
        (await database.Database.ReadAsync(c => c.QueryAsync<Deduction>(LedgerSql.For(database.Database.Provider).LedgerInChainOrder))).AsList();

    private async Task<IReadOnlyList<string>> IndexesAsync() =>
        (await database.Database.ReadAsync(c => c.QueryAsync<string>(store == TestStore.Postgres
            ? "SELECT indexname FROM pg_indexes WHERE tablename = 'deductions'"
            : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deductions'"))).AsList();

    private async Task<ChainReport> VerifyAsync()
    {
        var report = (await new EvidenceVerifier(database.Database, TestSecrets.Evidence(database.Database),
            [new ChainedTable<Deduction>(DeductionLedger.LedgerChain, ("", ""), LedgerSql.For(database.Database.Provider).LedgerInChainOrder)]).VerifyAsync()).Single();
        Assert.That(report.Intact, Is.True, report.FirstBroken?.ToString());
        return report;
    }
}
