using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Ops.Hosting.Http;

/// <summary>
/// Kestrel's buffers from the runtime's shared array pool. ASP.NET Core 10's own pool drops a block every 10 s
/// under steady light traffic (health probes, scrapes) and allocates a new one on the pinned-object heap, which only
/// a full collection frees: resident memory rose 0.7 MB per 10 minutes for it (docs/performance.md#memory-over-long-runs).
/// </summary>
public static class KestrelBuffers
{
    /// <summary>Registered after Kestrel's own factory, so this one is the one resolved.</summary>
    public static IServiceCollection AddSharedKestrelBuffers(this IServiceCollection services) =>
        services.AddSingleton<IMemoryPoolFactory<byte>, SharedPoolFactory>();

    /// <summary>Every pool is the shared one; disposing it does nothing, so Kestrel may dispose what it was given.</summary>
    private sealed class SharedPoolFactory : IMemoryPoolFactory<byte>
    {
        public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => MemoryPool<byte>.Shared;
    }
}
