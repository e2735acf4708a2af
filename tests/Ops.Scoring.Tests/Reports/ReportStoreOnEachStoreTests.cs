using Dapper;
using Ops.Hosting.Audit;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Scoring.Reports;
using Ops.Testing;

namespace Ops.Scoring.Tests.Reports;

/// <summary>
/// The stored reports on each store, through the store-level classes: a version stored once, found, listed within the
/// caller's scope, looked up by its workbook's SHA-256, and sealed into the reports chain.
/// </summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class ReportStoreOnEachStoreTests(TestStore store)
{
    private TempDatabase database = null!;
    private ReportStore reports = null!;

    [SetUp]
    public async Task RecordOctober()
    {
        database = await TempDatabase.CreateAsync(store, typeof(ReportStore).Assembly);
        var (ledger, _, made) = OctoberFacts.On(database.Database);
        reports = made;
        await OctoberFacts.RecordAsync(ledger);
    }

    [TearDown]
    public async Task DropStore() => await database.DisposeAsync();

    [Test]
    public async Task AMonthsReport_IsStoredOnce_FoundByIdAndDigest_ListedInScope_AndSealed()
    {
        // A time finer than PostgreSQL keeps (a tenth of a microsecond): the report is sealed as the store keeps it.
        var now = OctoberFacts.AfterOctober.AddTicks(3);
        var (october, created) = await reports.GenerateAsync(Seed.Terms, OctoberFacts.October, null, ReportStore.System, now);
        var (again, createdAgain) = await reports.GenerateAsync(Seed.Terms, OctoberFacts.October, null, ReportStore.System, now.AddMinutes(5));
        var (closed, createdClosed) = await reports.GenerateAsync(Seed.Terms, OctoberFacts.October, null, ReportStore.System, now.AddDays(1), unlessClosed: true);
        var (shm, _) = await reports.GenerateAsync(Seed.Terms, OctoberFacts.October, "SHM", ReportStore.System, now);
        var (november, _) = await reports.GenerateAsync(Seed.Terms, OctoberFacts.November, null, ReportStore.System, now);

        Assert.That((created, createdAgain, createdClosed), Is.EqualTo((true, false, false)));
        Assert.That(new[] { again.Id, closed.Id }, Is.All.EqualTo(october.Id));
        Assert.That((october.Version, october.InProgress, november.InProgress), Is.EqualTo((1, false, true)));

        var withFigures = await reports.FindAsync(october.Id, workbook: false);
        var withWorkbook = await reports.FindAsync(october.Id, workbook: true);
        Assert.That(withFigures!.Figures, Does.Contain("\"ticketsSha256\""));
        Assert.That(Report.Digest(withWorkbook!.Workbook!), Is.EqualTo(october.Sha256));
        Assert.That(await database.Database.ReadAsync(c => c.QuerySingleAsync<string>(ReportStoreSql.For(database.Database.Provider).FiguresOf, new { october.Id })),
            Is.EqualTo(withFigures.Figures), "what a new build's figures are compared with");
        Assert.That((await reports.WithSha256Async(october.Sha256)).Select(r => r.Id), Is.EqualTo(new[] { october.Id }));
        Assert.That(await reports.WithSha256Async(new string('0', 64)), Is.Empty);

        Assert.That(await reports.ClosedPeriodsAsync(Seed.Contract), Is.EquivalentTo(new[] { (ReportKind.Month, "2026-10") }), "November is still running");
        Assert.That((await reports.ListAsync(Seed.Contract, null, null, Scope.All)).Select(r => r.Id), Is.EqualTo(new[] { november.Id, october.Id, shm.Id }));
        Assert.That((await reports.ListAsync(Seed.Contract, ReportKind.Month, "SHM", Scope.All)).Select(r => r.Id), Is.EqualTo(new[] { shm.Id }));
        Assert.That((await reports.ListAsync(Seed.Contract, null, null, Scope.Of([Seed.Contract], ["SHM"]))).Select(r => r.Id), Is.EqualTo(new[] { shm.Id }),
            "a whole-contract report needs the whole contract");
        Assert.That(await reports.ListAsync(Seed.Contract, null, null, Scope.Nothing), Is.Empty);

        var verifier = new EvidenceVerifier(database.Database, TestSecrets.Evidence(database.Database),
            [new ChainedTable<Report>(ReportStore.Chain, ("", ""), ReportStoreSql.For(database.Database.Provider).InChainOrder)]);
        var chain = (await verifier.VerifyAsync()).Single();
        Assert.That((chain.Entries, chain.Intact), Is.EqualTo((3L, true)), chain.FirstBroken?.ToString());
        Assert.That(async () => await database.Database.WriteAsync(t => t.ExecuteAsync("DELETE FROM reports")),
            Throws.Exception.With.Message.Contains("append-only"));
    }
}
