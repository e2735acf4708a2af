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
/// confirms the one before: every event goes out, once, and is marked sent.
/// </summary>
public class OutboxDispatcherTests
{
    [Test]
    public async Task ABacklogOfSeveralRounds_IsPublishedInFull_EachEventOnce_AndMarkedSent()
    {
        await using var store = await TempDatabase.CreateAsync();
        var revoked = Enumerable.Range(0, 2_345).Select(_ => new ApiKeyRevoked(Guid.NewGuid(), DateTimeOffset.UtcNow)).ToList();
        await store.Database.WriteAsync(t => new Outbox(TimeProvider.System).AddAllAsync(t, revoked));

        // Every publish is counted (the harness lists a message id once however often it went out) and waits a
        // little for its confirmation, as with a broker, so that rounds overlap.
        var publishes = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        await using var provider = new ServiceCollection().AddMassTransitTestHarness(bus => bus.UsingInMemory((context, cfg) =>
        {
            cfg.ConfigurePublish(publish => publish.UseExecuteAsync(async sent =>
            {
                publishes.Add(((PublishContext<ApiKeyRevoked>)sent).Message.KeyId);
                await Task.Delay(20);
            }));
            cfg.ConfigureEndpoints(context);
        })).BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var dispatcher = new OutboxDispatcher(store.Database, harness.Bus, TimeProvider.System, NullLogger<OutboxDispatcher>.Instance,
            Options.Create(new OutboxOptions { BatchSize = 500 }));
        await dispatcher.StartAsync(CancellationToken.None);
        try
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (await UnsentAsync(store) > 0 && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50);
            }
        }
        finally
        {
            await dispatcher.StopAsync(CancellationToken.None);
        }

        Assert.That(await UnsentAsync(store), Is.Zero, "every event is marked sent");
        Assert.That(publishes, Is.EquivalentTo(revoked.Select(r => r.KeyId)), "each event published once");
        var messageIds = await store.Database.ReadAsync(c => c.QueryAsync<Guid>("SELECT message_id FROM outbox_messages"));
        Assert.That(harness.Published.Select<ApiKeyRevoked>().Select(p => p.Context.MessageId!.Value), Is.EquivalentTo(messageIds), "under the outbox's message ids");
    }

    private static Task<long> UnsentAsync(TempDatabase store) =>
        store.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL"));
}
