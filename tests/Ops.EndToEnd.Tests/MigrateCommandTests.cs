using Ops.Testing;

namespace Ops.EndToEnd.Tests;

/// <summary>
/// An upgrade with several instances brings each store's schema up to date first, with <c>admin migrate</c>, before
/// any instance of the new build starts (docs/upgrading.md): it applies what the store lacks, once, and says so.
/// On the run's store: a SQLite file, or a PostgreSQL database of its own. The three services' cases run side by side:
/// each is two commands on a store of its own, mostly the wait for a process to start.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public class MigrateCommandTests
{
    [TestCase("tickets", "Tickets")]
    [TestCase("sla-timer", "SlaTimer")]
    [TestCase("scoring", "Scoring")]
    public async Task AdminMigrate_AppliesTheSchemaToAnEmptyStore_AndNothingTheSecondTime(string name, string folder)
    {
        var data = Path.Combine(Path.GetTempPath(), "ops-e2e-migrate", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        await using var service = new ServiceProcess(name, folder, SystemUnderTest.Repository, data, SystemUnderTest.Broker);
        try
        {
            if (TestStores.OfRun == TestStore.Postgres)
            {
                await service.UsePostgresAsync();
            }

            var (firstCode, first) = await service.AdminAsync("migrate");
            var (secondCode, second) = await service.AdminAsync("migrate");

            Assert.That(firstCode, Is.EqualTo(0), first);
            Assert.That(first, Does.Contain("Applied schema script ").And.Contain("schema script(s) applied: "));
            Assert.That(secondCode, Is.EqualTo(0), second);
            Assert.That(second, Does.Not.Contain("Applied schema script ").And.Contain("The schema is up to date: "));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
