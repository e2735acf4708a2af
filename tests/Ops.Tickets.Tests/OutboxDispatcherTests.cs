using System.Runtime.CompilerServices;
using Dapper;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ops.Contracts.Security;
using Ops.Hosting.Messaging;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// The outbox dispatcher publishes a backlog in rounds, the next read and published while the broker still
/// confirms the one before, and marks them sent on the side: every event goes out, once, and is marked sent,
/// and a busy database does not hold up publishing. On PostgreSQL, instances sharing the database claim rounds
/// apart from each other.
/// </summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class OutboxDispatcherTests(TestStore testStore)
{
    [Test]
    public async Task ABacklogOfSeveralRounds_IsPublishedInFull_EachEventOnce_AndMarkedSent()
    {
        await using var store = await TempDatabase.CreateAsync(testStore);
        var revoked = await BacklogAsync(store, 2_345);
        await using var broker = await BrokerAsync(TimeSpan.FromMilliseconds(20));
        await using var dispatcher = await broker.DispatchAsync(store);

        await Eventually.HoldsAsync(async () => await UnsentAsync(store) == 0, TimeSpan.FromSeconds(30));

        Assert.That(await UnsentAsync(store), Is.Zero, "every event is marked sent");
        Assert.That(broker.Publishes, Is.EquivalentTo(revoked.Select(r => r.KeyId)), "each event published once");
        var messageIds = await store.Database.ReadAsync(c => c.QueryAsync<Guid>("SELECT message_id FROM outbox_messages"));
        // Read as the list stands (a cancelled token): every publish is in it once all are marked sent, and read to its end it would wait for the bus to fall idle.
        Assert.That(broker.Harness.Published.Select<ApiKeyRevoked>(new CancellationToken(canceled: true)).Select(p => p.Context.MessageId!.Value), Is.EquivalentTo(messageIds), "under the outbox's message ids");
    }

    [Test]
    public async Task WhileTheDatabaseIsBusyWriting_TheBacklogIsStillPublished_AndMarkedSentOnceItIsFree()
    {
        if (testStore != TestStore.Sqlite)
        {
            Assert.Ignore("SQLite's single writer: a server's writes do not wait for each other.");
        }

        await using var store = await TempDatabase.CreateAsync(testStore);
        var revoked = await BacklogAsync(store, 2_345);
        await using var broker = await BrokerAsync(TimeSpan.Zero);

        // A long write (a scan breaching thousands of clocks, say) holds the database's only writer.
        var free = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var busy = store.Database.WriteAsync(async _ =>
        {
            await free.Task;
            return 0;
        });
        await using var dispatcher = await broker.DispatchAsync(store);

        List<Guid> publishedWhileBusy;
        long unsentWhileBusy;
        try
        {
            await Eventually.HoldsAsync(() => Task.FromResult(broker.Publishes.Count >= revoked.Count), TimeSpan.FromSeconds(30));
            publishedWhileBusy = broker.Publishes.ToList();
            unsentWhileBusy = await UnsentAsync(store);
        }
        finally
        {
            // Also when the wait fails: a writer left held would keep the dispatcher from stopping.
            free.SetResult();
        }

        await busy;

        Assert.That(publishedWhileBusy, Is.EquivalentTo(revoked.Select(r => r.KeyId)), "all five rounds published while the writer was busy");
        Assert.That(unsentWhileBusy, Is.EqualTo(revoked.Count), "none marked meanwhile: marking waits for the writer");
        await Eventually.HoldsAsync(async () => await UnsentAsync(store) == 0, TimeSpan.FromSeconds(30));
        Assert.That(await UnsentAsync(store), Is.Zero, "all marked sent once the writer was free");
        Assert.That(broker.Publishes, Has.Count.EqualTo(revoked.Count), "and none published again");
    }

    [Test]
    public async Task TwoInstancesSharingTheOutbox_PublishEachEventOnce_AndMarkItSent()
    {
        if (testStore != TestStore.Postgres)
        {
            Assert.Ignore("One SQLite file is one instance's store.");
        }

        await using var shared = await SharedStore.CreateAsync(testStore);
        var revoked = await BacklogAsync(shared.First, 4_321);
        await using var broker = await BrokerAsync(TimeSpan.FromMilliseconds(20));

        // Each instance claims rounds of 500, two at a time: four claims side by side over one backlog.
        await using (var first = await broker.DispatchAsync(shared.First))
        await using (var second = await broker.DispatchAsync(shared.Second))
        {
            await Eventually.HoldsAsync(async () => await UnsentAsync(shared.First) == 0, TimeSpan.FromSeconds(60));
        }

        Assert.That(broker.Publishes, Has.Count.EqualTo(revoked.Count), "no event published by both");
        Assert.That(broker.Publishes, Is.EquivalentTo(revoked.Select(r => r.KeyId)), "each event published once");
    }

    [Test]
    public async Task ARoundTheBrokerDoesNotConfirm_IsLeftUnsent_AndPublishedOnceItIs()
    {
        await using var store = await TempDatabase.CreateAsync(testStore);
        var revoked = await BacklogAsync(store.Database, 700);
        var refusing = 1;
        await using var broker = await BrokerAsync(TimeSpan.Zero, () => Volatile.Read(ref refusing) == 1);
        await using var dispatcher = await broker.DispatchAsync(store.Database);

        await Eventually.HoldsAsync(() => Task.FromResult(broker.Refused > 0), TimeSpan.FromSeconds(30));
        var unsentWhileRefused = await UnsentAsync(store.Database);
        Volatile.Write(ref refusing, 0);
        await Eventually.HoldsAsync(async () => await UnsentAsync(store.Database) == 0, TimeSpan.FromSeconds(60));

        Assert.That(unsentWhileRefused, Is.EqualTo(revoked.Count), "nothing marked sent that the broker did not confirm");
        Assert.That(broker.Publishes.Distinct(), Is.EquivalentTo(revoked.Select(r => r.KeyId)), "every event published in the end");
    }

    private static Task<List<ApiKeyRevoked>> BacklogAsync(TempDatabase store, int count) => BacklogAsync(store.Database, count);

    private static async Task<List<ApiKeyRevoked>> BacklogAsync(Ops.Hosting.Storage.Database database, int count)
    {
        var revoked = Enumerable.Range(0, count).Select(_ => new ApiKeyRevoked(Guid.NewGuid(), DateTimeOffset.UtcNow)).ToList();
        await database.WriteAsync(t => new Outbox(TimeProvider.System).AddAllAsync(t, revoked));
        return revoked;
    }

    /// <summary>
    /// An in-memory bus that counts every publish (the harness lists a message id once however often it went
    /// out), each waiting <paramref name="confirmation"/> for its confirmation, as with a broker.
    /// </summary>
    /// <param name="refuse">While it holds, every publish fails, as when the broker is away (counted in <see cref="TestBroker.Refused"/>).</param>
    private static async Task<TestBroker> BrokerAsync(TimeSpan confirmation, Func<bool>? refuse = null)
    {
        var publishes = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        var refused = new StrongBox<int>();
        var provider = new ServiceCollection().AddMassTransitTestHarness(bus => bus.UsingInMemory((context, cfg) =>
        {
            cfg.ConfigurePublish(publish => publish.UseExecuteAsync(async sent =>
            {
                if (refuse?.Invoke() == true)
                {
                    Interlocked.Increment(ref refused.Value);
                    throw new InvalidOperationException("The broker is away.");
                }

                publishes.Add(((PublishContext<ApiKeyRevoked>)sent).Message.KeyId);
                await Task.Delay(confirmation);
            }));
            cfg.ConfigureEndpoints(context);
        })).BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        return new TestBroker(provider, harness, publishes, refused);
    }

    private sealed record TestBroker(ServiceProvider Provider, ITestHarness Harness, System.Collections.Concurrent.ConcurrentBag<Guid> Publishes, StrongBox<int> RefusedCount) : IAsyncDisposable
    {
        public int Refused => Volatile.Read(ref RefusedCount.Value);

        public Task<RunningDispatcher> DispatchAsync(TempDatabase store) => DispatchAsync(store.Database);

        /// <summary>Starts a dispatcher of <paramref name="database"/>'s outbox in rounds of 500; disposing it stops it.</summary>
        public async Task<RunningDispatcher> DispatchAsync(Ops.Hosting.Storage.Database database)
        {
            var dispatcher = new OutboxDispatcher(database, Harness.Bus, TimeProvider.System, NullLogger<OutboxDispatcher>.Instance,
                Options.Create(new OutboxOptions { BatchSize = 500, PublishTimeout = TimeSpan.FromMinutes(1) })); // a slow machine's round is not a lost one
            await dispatcher.StartAsync(CancellationToken.None);
            return new RunningDispatcher(dispatcher);
        }

        public ValueTask DisposeAsync() => Provider.DisposeAsync();
    }

    private sealed record RunningDispatcher(OutboxDispatcher Dispatcher) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await Dispatcher.StopAsync(CancellationToken.None);
    }

    private static Task<long> UnsentAsync(TempDatabase store) => UnsentAsync(store.Database);

    private static Task<long> UnsentAsync(Ops.Hosting.Storage.Database database) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL"));
}
