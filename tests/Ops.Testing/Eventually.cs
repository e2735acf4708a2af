using NUnit.Framework;

namespace Ops.Testing;

/// <summary>Waiting for what a service does in the background (a consumer, the outbox, the scanner).</summary>
public static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> holds; fails the test after <paramref name="within"/> (30 s unless given: a loaded machine is slow, and a condition that holds ends the wait at once).</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(30);
        var started = DateTime.UtcNow;
        while (!await condition())
        {
            if (DateTime.UtcNow - started > limit)
            {
                Assert.Fail($"The condition did not hold within {limit.TotalSeconds:0} s.");
            }

            await Task.Delay(25);
        }
    }
}
