using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Ops.Hosting;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// Every minute of the machine's clock the service collects the whole heap and hands back to the system the native
/// memory malloc kept after it was freed (docs/performance.md#memory-over-long-runs).
/// </summary>
public class MemoryUpkeepTests : ServiceTests<Program>
{
    [Test]
    public void TheService_RunsTheUpkeep_OnTheMachinesClockNotItsOwn()
    {
        var upkeep = Service.Services.GetServices<IHostedService>().OfType<MemoryUpkeep>().Single();

        // Tests move the service's clock by hours; that must not collect the heap at each move.
        Assert.That(upkeep.Clock, Is.SameAs(TimeProvider.System).And.Not.SameAs(Service.Time));
    }

    [Test]
    public async Task EveryMinute_TheUpkeepCollectsTheWholeHeap_AndTrimsMallocsFreedMemory()
    {
        var clock = new FakeTimeProvider();
        using var upkeep = new MemoryUpkeep(clock, NullLogger<MemoryUpkeep>.Instance);
        var fullBefore = GC.CollectionCount(GC.MaxGeneration);
        await upkeep.StartAsync(CancellationToken.None);
        Assert.That((upkeep.Trims, upkeep.FullCollections), Is.EqualTo((0L, 0L)), "nothing before the first minute");

        await Eventually.HoldsAsync(() =>
        {
            if (upkeep.Trims < 2)
            {
                clock.Advance(MemoryUpkeep.Every);
            }

            return Task.FromResult(upkeep.Trims == 2);
        }, TimeSpan.FromSeconds(30));
        await upkeep.StopAsync(CancellationToken.None);

        Assert.That(upkeep.FullCollections, Is.EqualTo(2));
        Assert.That(GC.CollectionCount(GC.MaxGeneration), Is.GreaterThan(fullBefore));
    }
}
