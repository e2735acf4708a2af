using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Ops.Hosting.Storage;
using Ops.Scoring.Assessment;
using Ops.Scoring.Reports;
using Ops.Testing;

namespace Ops.Scoring.Tests.Reports;

/// <summary>
/// Two scoring instances on one store saving the same period's report at the same moment: one row per version, and the
/// one that comes second answers the first one's report. The unique index on the version is what keeps a second row
/// out where writers do not take turns (SQL Server); SQLite's writers take turns, so the second one finds the first's.
/// </summary>
public class ReportStoreTests
{
    private string dataDirectory = null!;

    [SetUp]
    public void CreateDataDirectory() => dataDirectory = TestFolder.Create();

    [TearDown]
    public void DeleteDataDirectory()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(dataDirectory, recursive: true);
    }

    private ServiceFactory<Program> Instance()
    {
        var service = new ServiceFactory<Program>();
        service.Settings["Database:DataDirectory"] = dataDirectory;
        service.CreateClient().Dispose();
        return service;
    }

    private SqliteConnection Store() => new($"Data Source={Path.Combine(dataDirectory, "scoring.db")}");

    [Test]
    public async Task TwoInstancesSavingTheSameVersionAtOnce_StoreOneRow_AndBothAnswerTheWinnersReport()
    {
        await using var first = Instance();
        await using var second = Instance();
        var terms = first.Services.GetRequiredService<ContractBook>().Contracts[Seed.Contract];
        var stores = new[] { first, second }.Select(s => s.Services.GetRequiredService<ReportStore>()).ToArray();
        var now = first.Time.GetUtcNow();
        string[] months = ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"];

        foreach (var month in months)
        {
            var period = ReportPeriods.Of(terms, ReportKind.Month, month)!;
            var answers = await Task.WhenAll(stores.Select(store => Task.Run(() => store.GenerateAsync(terms, period, null, ReportStore.System, now))));

            Assert.That(answers.Count(a => a.Created), Is.EqualTo(1), month);
            Assert.That(answers.Select(a => (a.Report.Id, a.Report.Version)).Distinct(), Has.Exactly(1).Items, $"{month}: the second answers the first's report");
        }

        await using var connection = Store();
        var rows = (await connection.QueryAsync<(string Period, long Rows)>("SELECT period, COUNT(*) FROM reports GROUP BY period ORDER BY period")).ToList();
        Assert.That(rows, Is.EqualTo(months.Select(m => (m, 1L))));
    }

    [Test]
    public async Task ASecondRowForAStoredVersion_IsRefusedAsAUniqueViolation()
    {
        await using var service = Instance();
        var terms = service.Services.GetRequiredService<ContractBook>().Contracts[Seed.Contract];
        var period = ReportPeriods.Of(terms, ReportKind.Month, "2026-10")!;
        var (report, created) = await service.Services.GetRequiredService<ReportStore>().GenerateAsync(terms, period, null, ReportStore.System, service.Time.GetUtcNow());
        await using var connection = Store();

        var refused = Assert.CatchAsync(() => connection.ExecuteAsync(
            """
            INSERT INTO reports (id, contract, kind, period, site_code, version, in_progress, period_from, period_to, as_of,
                generated_at, generated_by, generated_by_id, sha256, bytes, figures, workbook, chain_seq, prev_hash, hash)
            SELECT @Other, contract, kind, period, site_code, version, in_progress, period_from, period_to, as_of,
                generated_at, generated_by, generated_by_id, sha256, bytes, figures, workbook, chain_seq + 1000, prev_hash, hash
            FROM reports WHERE id = @Id
            """,
            new { Other = Guid.NewGuid().ToString(), Id = report.Id.ToString() }));

        Assert.That(created, Is.True);
        Assert.That(SqlProvider.Sqlite.IsUniqueViolation(refused!), Is.True, refused?.Message);
    }
}
