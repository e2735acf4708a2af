using Dapper;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// On a server store one process runs at most <see cref="DatabaseOptions.ServerWriters"/> write transactions at once: the
/// others wait in the process, not on the database's locks, and each still runs and commits.
/// </summary>
public class ServerWritersTests
{
    [Test]
    public async Task NoMoreWritesRunAtOnceThanAllowed_AndThoseWaitingRunWhenOneEnds()
    {
        var (name, connectionString) = await PostgresServer.CreateDatabaseAsync();
        try
        {
            await using var database = new Database(SqlProvider.Postgres, connectionString, serverWriters: 2);
            await database.WriteAsync(t => t.ExecuteAsync("CREATE TABLE written (n integer PRIMARY KEY)"));
            await RunSixAsync(database);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(name);
        }
    }

    private static async Task RunSixAsync(Database database)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        var most = 0;
        var started = new SemaphoreSlim(0);
        var writes = Enumerable.Range(1, 6).Select(n => database.WriteAsync(async t =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            started.Release();
            await t.ExecuteAsync("INSERT INTO written (n) VALUES (@N)", new { N = n });
            await gate.Task;
            Interlocked.Decrement(ref running);
        })).ToList();

        // Two begin; the other four wait in the process until one of those ends.
        Assert.That(await started.WaitAsync(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(await started.WaitAsync(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(await started.WaitAsync(TimeSpan.FromMilliseconds(500)), Is.False, "a third write began while two ran");
        Assert.That(Volatile.Read(ref running), Is.EqualTo(2));

        gate.SetResult();
        await Task.WhenAll(writes);
        Assert.That(most, Is.EqualTo(2), "at most two at once");
        Assert.That(await database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM written")), Is.EqualTo(6), "every write committed");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
