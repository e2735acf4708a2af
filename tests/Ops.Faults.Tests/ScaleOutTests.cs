using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MassTransit;
using Ops.Contracts.Sla;
using Ops.Testing;

namespace Ops.Faults.Tests;

/// <summary>
/// Two instances of each service on PostgreSQL, behind one broker: 5,000 faults reported over both tickets instances,
/// each with both clocks already due, while one sla-timer and one scoring instance are killed (SIGKILL). Afterwards every
/// fault has exactly two breaches and two deductions, every evidence chain verifies and no outbox holds anything.
/// </summary>
[NonParallelizable]
[Category("ScaleOut")]
public class ScaleOutTests
{
    private const int Faults = 5_000;

    [Test]
    [CancelAfter(900_000)]
    public async Task TwoInstancesOfEachService_WithOneSlaTimerAndOneScoringKilled_BreachAndDeductEveryClockOnce()
    {
        await using var system = await ScaledSystem.StartAsync();
        var published = new ConcurrentDictionary<Guid, ConcurrentBag<Guid>>();
        var observer = system.Broker.Observer("scale-out-observer", e => e.Handler<SlaBreached>(context =>
        {
            published.GetOrAdd(context.Message.Clock.ClockId, _ => []).Add(context.MessageId ?? Guid.Empty);
            return Task.CompletedTask;
        }));
        await observer.StartAsync();
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var load = new ReportLoad(system.Hotlines, perSecond: 100) { Limit = Faults, GiveUpAfter = TimeSpan.FromMinutes(5) };
            var running = load.RunAsync();

            // Mid-run, with clocks being claimed and deductions taken: one of each pair dies without a word.
            await Eventually.HoldsAsync(() => Task.FromResult(load.Sent >= Faults * 3 / 10), TimeSpan.FromSeconds(120));
            await system.SlaTimers[1].KillAsync();
            await Eventually.HoldsAsync(() => Task.FromResult(load.Sent >= Faults / 2), TimeSpan.FromSeconds(120));
            await system.Scorings[1].KillAsync();
            await Eventually.HoldsAsync(() => Task.FromResult(load.Sent >= Faults), TimeSpan.FromSeconds(120));
            await load.StopAsync(running);
            TestContext.Progress.WriteLine($"{Faults:N0} reports answered after {watch.Elapsed.TotalSeconds:F0} s");

            Assert.That(load.Refused, Is.Empty, "no report refused");
            Assert.That(load.Abandoned, Is.Empty, $"no report given up: {load.AbandonedWhy()}");
            Assert.That(load.Accepted, Has.Count.EqualTo(Faults));
            var tickets = load.Accepted.Values.ToHashSet();

            await system.QuietAsync(TimeSpan.FromMinutes(5));
            await Eventually.HoldsAsync(async () => await BreachDeductionsAsync(system) == 2 * Faults, TimeSpan.FromMinutes(2));
            TestContext.Progress.WriteLine($"every breach deducted after {watch.Elapsed.TotalSeconds:F0} s");

            await using (var clocks = system.SlaTimers[0].Store())
            {
                var breached = (await clocks.ReadAsync(c => c.QueryAsync<(Guid Ticket, long Clocks)>(
                    "SELECT ticket_id AS Ticket, COUNT(*) AS Clocks FROM clocks WHERE breached_at IS NOT NULL GROUP BY ticket_id"))).ToList();
                Assert.That(breached.Select(b => b.Ticket), Is.EquivalentTo(tickets), "every fault's clocks breached, and no other");
                Assert.That(breached.Where(b => b.Clocks != 2), Is.Empty, "two breached clocks a fault");
            }

            await using (var ledger = system.Scorings[0].Store())
            {
                var deducted = (await ledger.ReadAsync(c => c.QueryAsync<(Guid Ticket, long Deductions, long Clocks)>(
                    "SELECT ticket_id AS Ticket, COUNT(*) AS Deductions, COUNT(DISTINCT clock_id) AS Clocks FROM deductions WHERE source = 'breach' GROUP BY ticket_id"))).ToList();
                Assert.That(deducted.Select(d => d.Ticket), Is.EquivalentTo(tickets));
                Assert.That(deducted.Where(d => d.Deductions != 2 || d.Clocks != 2), Is.Empty, "two deductions a fault, one for each clock");
            }

            // Each breach decided once: an event published again after a kill (sent, not yet marked) carries the same id.
            Assert.That(published, Has.Count.EqualTo(2 * Faults), "a breach event for every clock");
            Assert.That(published.Where(p => p.Value.Distinct().Count() != 1).Select(p => p.Key), Is.Empty, "no clock breached twice");

            foreach (var service in system.Survivors)
            {
                var chains = await service.Http.GetFromJsonAsync<JsonElement>("api/audit/chains");
                Assert.That(chains.GetProperty("intact").GetBoolean(), Is.True, $"{service.Name}: {chains}");
                await using var store = service.Store();
                Assert.That(await store.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL")), Is.Zero, $"{service.Name}'s outbox");
            }

            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Faults:N0} faults, {load.Retries} retries ({load.Replayed} replayed); breach events {published.Values.Sum(p => p.Count):N0} for {published.Count:N0} clocks"));
        }
        catch
        {
            TestContext.Out.WriteLine(system.Tails());
            throw;
        }
        finally
        {
            await observer.StopAsync();
        }
    }

    private static async Task<long> BreachDeductionsAsync(ScaledSystem system)
    {
        await using var ledger = system.Scorings[0].Store();
        return await ledger.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM deductions WHERE source = 'breach'"));
    }
}
