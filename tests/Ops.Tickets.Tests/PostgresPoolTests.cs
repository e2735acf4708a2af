using Dapper;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// On PostgreSQL a connection goes back to the pool as it is: no reset round trips after every transaction, since the
/// services keep no session state. A connection string may still ask for the reset.
/// </summary>
public class PostgresPoolTests
{
    [TestCase(null, "kept")]
    [TestCase(";No Reset On Close=false", "")]
    public async Task AConnectionBackFromThePool_IsNotReset_UnlessTheConnectionStringAsks(string? extra, string expected)
    {
        var (name, connectionString) = await PostgresServer.CreateDatabaseAsync();
        try
        {
            // One connection in the pool, so the second open gets the same server session back.
            await using var database = new Database(SqlProvider.Postgres, connectionString + ";Maximum Pool Size=1" + extra);
            await database.ReadAsync(c => c.ExecuteAsync("SELECT set_config('ops.probe', 'kept', false)"));
            var seen = await database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT current_setting('ops.probe', true)"));
            Assert.That(seen ?? "", Is.EqualTo(expected));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(name);
        }
    }
}
