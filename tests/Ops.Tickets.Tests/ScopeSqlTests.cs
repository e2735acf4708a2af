using Dapper;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>A list query keeps the rows of the caller's scope, on every store, from the same condition.</summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class ScopeSqlTests(TestStore store)
{
    private static readonly (string Contract, string Site)[] Rows =
        [("OTQ-2026-OPS", "SHM"), ("OTQ-2026-OPS", "ZX"), ("HQ-2027-OPS", "SHM"), ("HQ-2027-OPS", "HQ")];

    private static IEnumerable<TestCaseData> Scopes()
    {
        yield return new TestCaseData(Scope.All, new[] { "HQ-2027-OPS/HQ", "HQ-2027-OPS/SHM", "OTQ-2026-OPS/SHM", "OTQ-2026-OPS/ZX" }).SetArgDisplayNames("all");
        yield return new TestCaseData(Scope.Nothing, Array.Empty<string>()).SetArgDisplayNames("nothing");
        yield return new TestCaseData(Scope.Of(["OTQ-2026-OPS"]), new[] { "OTQ-2026-OPS/SHM", "OTQ-2026-OPS/ZX" }).SetArgDisplayNames("one contract");
        yield return new TestCaseData(Scope.Of(["OTQ-2026-OPS", "HQ-2027-OPS"], ["SHM"]), new[] { "HQ-2027-OPS/SHM", "OTQ-2026-OPS/SHM" }).SetArgDisplayNames("two contracts, one site");
    }

    [TestCaseSource(nameof(Scopes))]
    public async Task TheScopeCondition_KeepsTheRowsInScope(Scope scope, string[] kept)
    {
        await using var database = await TempDatabase.CreateAsync(store);
        await database.Database.WriteAsync(async t =>
        {
            await t.ExecuteAsync("CREATE TABLE scoped (contract text NOT NULL, site_code text NOT NULL)");
            await t.ExecuteAsync("INSERT INTO scoped (contract, site_code) VALUES (@Contract, @Site)", Rows.Select(r => new { r.Contract, r.Site }));
        });
        var provider = database.Database.Provider;

        var found = await database.Database.ReadAsync(c => c.QueryAsync<string>(
            $"SELECT contract || '/' || site_code FROM scoped WHERE {Scope.Sql(provider)} ORDER BY 1", scope.AddTo(new DynamicParameters())));

        Assert.That(found, Is.EqualTo(kept));
    }
}
