using Dapper;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>Schema scripts on PostgreSQL: several instances starting at once apply each script once.</summary>
public class PostgresMigrationTests
{
    [Test]
    public async Task InstancesStartingTogether_ApplyEachScriptOnce()
    {
        var (name, connectionString) = await PostgresServer.CreateDatabaseAsync();
        try
        {
            var instances = Enumerable.Range(0, 4).Select(_ => new Database(SqlProvider.Postgres, connectionString)).ToList();
            var applied = await Task.WhenAll(instances.Select(d => SchemaMigrator.MigrateAsync(d, [typeof(Database).Assembly, typeof(Storage.TicketStore).Assembly])));

            var scripts = SchemaMigrator.ScriptsIn(typeof(Database).Assembly, SqlProvider.Postgres).Count
                + SchemaMigrator.ScriptsIn(typeof(Storage.TicketStore).Assembly, SqlProvider.Postgres).Count;
            Assert.That(scripts, Is.GreaterThan(0));
            Assert.That(applied.Sum(a => a.Count), Is.EqualTo(scripts), "every script applied by exactly one instance");
            var recorded = await instances[0].ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
            Assert.That(recorded, Is.EqualTo(scripts));
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(name);
        }
    }
}
