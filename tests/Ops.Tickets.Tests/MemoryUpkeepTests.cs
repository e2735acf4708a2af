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
        var clock = new TimerWatchingClock();
        using var upkeep = new MemoryUpkeep(clock, NullLogger<MemoryUpkeep>.Instance);
        var fullBefore = GC.CollectionCount(GC.MaxGeneration);
        await upkeep.StartAsync(CancellationToken.None);
        await clock.TimerSet.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That((upkeep.Trims, upkeep.FullCollections), Is.EqualTo((0L, 0L)), "nothing before the first minute");

        // A minute at a time, each once the last one's work is done: a minute moved while it ran would be one more.
        for (var minutes = 1; minutes <= 2; minutes++)
        {
            clock.Advance(MemoryUpkeep.Every);
            var expected = minutes;
            await Eventually.HoldsAsync(() => Task.FromResult(upkeep.Trims == expected), TimeSpan.FromSeconds(30));
        }

        await upkeep.StopAsync(CancellationToken.None);

        Assert.That(upkeep.FullCollections, Is.EqualTo(2));
        Assert.That(GC.CollectionCount(GC.MaxGeneration), Is.GreaterThan(fullBefore));
    }

    /// <summary>A fake clock that says when the upkeep's timer is set on it: a minute moved before that would be lost.</summary>
    private sealed class TimerWatchingClock : FakeTimeProvider
    {
        public TaskCompletionSource TimerSet { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            TimerSet.TrySetResult();
            return timer;
        }
    }
}
