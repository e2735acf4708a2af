using System.Globalization;
using Dapper;
using Ops.Hosting.Http;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// On SQLite the writes that wait while another commits are committed together, each in a savepoint: every
/// caller still gets its own result or its own exception, and a write that throws leaves nothing behind.
/// </summary>
public class GroupCommitTests
{
    private TempDatabase store = null!;
    private int commits;

    private Database Database => store.Database;

    [SetUp]
    public async Task CreateStore()
    {
        store = await TempDatabase.CreateAsync();
        await Database.WriteAsync(t => t.ExecuteAsync("CREATE TABLE written (n INTEGER NOT NULL PRIMARY KEY)"));
        commits = 0;
        Database.Committed += () => Interlocked.Increment(ref commits);
    }

    [TearDown]
    public async Task DropStore() => await store.DisposeAsync();

    private sealed class RefusedWrite(int n, string? message = null) : Exception(message ?? $"write {n} refused");

    /// <summary>
    /// Holds the first write open on <paramref name="gate"/> while <paramref name="count"/> more are started,
    /// so that they all wait for the turn together; write n inserts n, and throws after it when <paramref name="refuse"/> says so.
    /// </summary>
    private List<Task<int>> StartWaitingWrites(TaskCompletionSource gate, int count, Func<int, bool> refuse)
    {
        var writes = new List<Task<int>>
        {
            Database.WriteAsync(async t =>
            {
                await t.ExecuteAsync("INSERT INTO written (n) VALUES (0)");
                await gate.Task;
                return 0;
            }),
        };
        for (var n = 1; n <= count; n++)
        {
            var i = n;
            writes.Add(Database.WriteAsync(async t =>
            {
                await t.ExecuteAsync("INSERT INTO written (n) VALUES (@N)", new { N = i });
                return refuse(i) ? throw new RefusedWrite(i) : i;
            }));
        }

        return writes;
    }

    private async Task<List<long>> WrittenAsync() =>
        (await Database.ReadAsync(c => c.QueryAsync<long>("SELECT n FROM written ORDER BY n"))).ToList();

    [Test]
    public async Task WritesThatWaitedTogether_AreCommittedTogether_EachWithItsOwnResult()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writes = StartWaitingWrites(gate, 50, _ => false);

        gate.SetResult();
        var results = await Task.WhenAll(writes);

        Assert.That(results, Is.EqualTo(Enumerable.Range(0, 51)));
        Assert.That(await WrittenAsync(), Is.EqualTo(Enumerable.Range(0, 51).Select(n => (long)n)));
        Assert.That(commits, Is.EqualTo(2), "the first write, then the 50 that waited, in one commit");
    }

    [Test]
    public async Task AWriteThatThrows_InAGroup_LeavesNothingBehind_AndTheOthersAreKept()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writes = StartWaitingWrites(gate, 30, n => n % 7 == 0);

        gate.SetResult();
        await Task.WhenAll(writes.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));

        for (var n = 1; n <= 30; n++)
        {
            if (n % 7 == 0)
            {
                var refused = Assert.ThrowsAsync<RefusedWrite>(() => writes[n]);
                Assert.That(refused!.Message, Is.EqualTo($"write {n} refused"), "each caller gets its own exception");
            }
            else
            {
                Assert.That(await writes[n], Is.EqualTo(n));
            }
        }

        Assert.That(await WrittenAsync(), Is.EqualTo(Enumerable.Range(0, 31).Where(n => n == 0 || n % 7 != 0).Select(n => (long)n)));
    }

    [Test]
    public async Task EachWriteOfAGroup_RunsInItsCallersLanguage()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = StartWaitingWrites(gate, 0, _ => false)[0];
        var english = RefusedUnder("en", 1);
        var chinese = RefusedUnder("zh-CN", 2);

        gate.SetResult();
        await first;

        Assert.That(async () => await english, Throws.InstanceOf<RefusedWrite>().With.Message.EqualTo("write 1 refused"));
        Assert.That(async () => await chinese, Throws.InstanceOf<RefusedWrite>().With.Message.EqualTo("拒绝写入 2"));
        Assert.That(commits, Is.EqualTo(2), "the first write, then the two refused ones in one group");
    }

    /// <summary>Starts a write, under <paramref name="culture"/>, that throws a message in its caller's language.</summary>
    private async Task<int> RefusedUnder(string culture, int n)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(culture); // flows with this call only
        return await Database.WriteAsync<int>(async t =>
        {
            await t.ExecuteAsync("INSERT INTO written (n) VALUES (@N)", new { N = n });
            throw new RefusedWrite(n, L10n.Of($"拒绝写入 {n}", $"write {n} refused"));
        });
    }

    [Test]
    public async Task AWriteCancelledWhileItWaited_IsNotWritten()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = StartWaitingWrites(gate, 0, _ => false)[0];
        using var cancel = new CancellationTokenSource();
        var cancelled = Database.WriteAsync(t => t.ExecuteAsync("INSERT INTO written (n) VALUES (99)"), cancel.Token);

        await cancel.CancelAsync();
        gate.SetResult();
        await first;

        Assert.That(async () => await cancelled, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await WrittenAsync(), Is.EqualTo(new long[] { 0 }));
    }

    [Test]
    public async Task AWriteThatBreaksTheGroupsTransaction_FailsTheGroup_AndNothingOfItIsKept()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = StartWaitingWrites(gate, 0, _ => false)[0];
        var before = Database.WriteAsync(t => t.ExecuteAsync("INSERT INTO written (n) VALUES (1)"));
        var breaking = Database.WriteAsync(t => t.ExecuteAsync("ROLLBACK")); // ends the group's transaction under it
        var after = Database.WriteAsync(t => t.ExecuteAsync("INSERT INTO written (n) VALUES (2)"));

        gate.SetResult();
        await first;

        Assert.That(async () => await before, Throws.Exception);
        Assert.That(async () => await breaking, Throws.Exception);
        Assert.That(async () => await after, Throws.Exception);
        Assert.That(await WrittenAsync(), Is.EqualTo(new long[] { 0 }));
    }

    [Test]
    public async Task AWriteThatBreaksTheGroupsTransactionAndThrows_GetsItsOwnException_AndTheGroupFails()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = StartWaitingWrites(gate, 0, _ => false)[0];
        var before = Database.WriteAsync(t => t.ExecuteAsync("INSERT INTO written (n) VALUES (1)"));
        var breaking = Database.WriteAsync(async t =>
        {
            await t.ExecuteAsync("ROLLBACK"); // ends the group's transaction under it, so its savepoint is gone too
            throw new RefusedWrite(2);
        });

        gate.SetResult();
        await first;

        Assert.That(async () => await breaking, Throws.InstanceOf<RefusedWrite>(), "not the failed rollback's exception");
        Assert.That(async () => await before, Throws.Exception);
        Assert.That(await WrittenAsync(), Is.EqualTo(new long[] { 0 }));
    }

    [Test]
    public async Task TheWriter_KeepsWhatASavepointRollsBackInMemory_AndCheckpointsEvery10000Pages()
    {
        // temp_store 2 is MEMORY: where SQLite keeps the original of each page a savepoint changes.
        var (tempStore, checkpointPages) = await Database.WriteAsync(async t =>
            (await t.ExecuteScalarAsync<long>("PRAGMA temp_store"), await t.ExecuteScalarAsync<long>("PRAGMA wal_autocheckpoint")));

        Assert.That(tempStore, Is.EqualTo(2));
        Assert.That(checkpointPages, Is.EqualTo(10_000));
    }
}
