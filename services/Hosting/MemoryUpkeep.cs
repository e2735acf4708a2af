using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ops.Hosting;

/// <summary>
/// Keeps a long-running service's resident memory flat (docs/performance.md#memory-over-long-runs). Once a minute it
/// collects the whole managed heap, then hands back to the system the native memory glibc's malloc kept after it was
/// freed (<c>malloc_trim</c>):
/// - with the young generations fixed, full collections came hours apart, and what died in the old generation in
///   between stayed resident (scoring and the console rose 1–1.6 MB per 10 minutes); one paused a service 11–57 ms;
/// - SQLite and the runtime free memory in the middle of malloc's arenas, and glibc by itself returns only an
///   arena's top, so the sla-timer rose in steps of 1–2 MB.
/// </summary>
/// <param name="time">The machine's clock, never the service's own, which tests move by hours.</param>
/// <param name="log">Where the pauses go (debug) and the note that glibc is missing.</param>
public sealed class MemoryUpkeep(TimeProvider time, ILogger<MemoryUpkeep> log) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    /// <summary>The clock the upkeep runs on.</summary>
    public TimeProvider Clock => time;

    private long fullCollections;
    private long trims;

    /// <summary>How many full collections the upkeep made since the start.</summary>
    public long FullCollections => Interlocked.Read(ref fullCollections);

    /// <summary>How many times malloc's freed memory was handed back since the start.</summary>
    public long Trims => Interlocked.Read(ref trims);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var trim = OperatingSystem.IsLinux();
        using var timer = new PeriodicTimer(Every, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var paused = GC.GetTotalPauseDuration();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Default, blocking: true);
            Interlocked.Increment(ref fullCollections);
            log.LogDebug("Full collection: paused {PauseMs:0.0} ms, {HeapMB:0.0} MB of the heap live",
                (GC.GetTotalPauseDuration() - paused).TotalMilliseconds, GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0);

            try
            {
                if (trim)
                {
                    MallocTrim(0);
                    Interlocked.Increment(ref trims);
                }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                log.LogInformation("Native memory is not trimmed: the C library is not glibc ({Reason})", e.Message);
                trim = false;
            }
        }
    }

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
}

public static class MemoryUpkeepSetup
{
    public static IServiceCollection AddMemoryUpkeep(this IServiceCollection services) =>
        services.AddSingleton(sp => new MemoryUpkeep(TimeProvider.System, sp.GetRequiredService<ILogger<MemoryUpkeep>>()))
            .AddHostedService(sp => sp.GetRequiredService<MemoryUpkeep>());
}
