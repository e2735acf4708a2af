using Microsoft.Extensions.DependencyInjection;
using Ops.Hosting;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// Every minute the service collects the whole heap and hands back to the system the native memory malloc kept after
/// it was freed (docs/performance.md#memory-over-long-runs).
/// </summary>
public class MemoryUpkeepTests : ServiceTests<Program>
{
    [Test]
    public async Task EveryMinute_TheServiceCollectsTheWholeHeap_AndTrimsMallocsFreedMemory()
    {
        var upkeep = Service.Services.GetRequiredService<MemoryUpkeep>();
        Assert.That((upkeep.Trims, upkeep.FullCollections), Is.EqualTo((0L, 0L)), "nothing before the first minute");
        var fullBefore = GC.CollectionCount(GC.MaxGeneration);

        // The timer starts with the service's background work; each minute on the service's clock is one round.
        await Eventually.HoldsAsync(() =>
        {
            if (upkeep.Trims < 2)
            {
                Service.Time.Advance(MemoryUpkeep.Every);
            }

            return Task.FromResult(upkeep.Trims == 2);
        }, TimeSpan.FromSeconds(30));

        Assert.That(upkeep.FullCollections, Is.EqualTo(2));
        Assert.That(GC.CollectionCount(GC.MaxGeneration), Is.GreaterThan(fullBefore));
    }
}
