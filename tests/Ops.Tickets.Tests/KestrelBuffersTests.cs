using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// Kestrel's buffers come from the shared array pool: its own pool's blocks, dropped and allocated again under light
/// traffic, pile up on the pinned-object heap until a full collection (docs/performance.md#memory-over-long-runs).
/// </summary>
public class KestrelBuffersTests : ServiceTests<Program>
{
    [Test]
    public void TheServersMemoryPool_IsTheSharedArrayPool()
    {
        // Kestrel's socket transport takes the factory the container resolves; Kestrel registers its own first.
        var pool = Service.Services.GetRequiredService<IMemoryPoolFactory<byte>>().Create();

        Assert.That(pool, Is.SameAs(MemoryPool<byte>.Shared));
    }
}
