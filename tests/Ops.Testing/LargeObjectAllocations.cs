using System.Diagnostics.Tracing;

namespace Ops.Testing;

/// <summary>
/// The types allocated on the large-object heap while an action runs, as the runtime's allocation ticks sample them
/// (one tick per 100 KB of large objects, so any array over 100 KB shows). In a steady state each large allocation
/// brings a full collection nearer, which keeps a service's memory from settling. The runtime hands the events over on
/// a thread of its own, in order, a while after they happen: before the action a marker array is allocated until its
/// tick arrives (the listener is then running), and after it one of another type, so every tick of the action has
/// been seen when that one arrives.
/// </summary>
public sealed class LargeObjectAllocations : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const uint LargeKind = 1;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly List<string> types = [];
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool recording;

    /// <summary>The types of the large objects <paramref name="action"/> allocated (sampled; empty when none).</summary>
    public static async Task<IReadOnlyList<string>> OfAsync(Func<Task> action)
    {
        using var listener = new LargeObjectAllocations();
        await MarkAsync(() => new StartMarker[64 * 1024], listener.started.Task);
        lock (listener.types)
        {
            listener.recording = true;
        }

        await action();
        await MarkAsync(() => new EndMarker[64 * 1024], listener.ended.Task);
        lock (listener.types)
        {
            return [.. listener.types];
        }
    }

    /// <summary>Allocates a marker (512 KB: a tick of its own) until its tick is seen.</summary>
    private static async Task MarkAsync(Func<object> allocate, Task seen)
    {
        var giveUp = DateTime.UtcNow + Patience;
        while (!seen.IsCompleted)
        {
            GC.KeepAlive(allocate());
            await Task.WhenAny(seen, Task.Delay(TimeSpan.FromMilliseconds(100)));
            if (DateTime.UtcNow > giveUp)
            {
                throw new TimeoutException("The runtime's allocation ticks did not arrive");
            }
        }
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || e.Payload is null
            || Convert.ToUInt32(e.Payload[e.PayloadNames!.IndexOf("AllocationKind")]) != LargeKind)
        {
            return;
        }

        var type = (string)e.Payload[e.PayloadNames.IndexOf("TypeName")]!;
        if (type.EndsWith(nameof(StartMarker) + "[]", StringComparison.Ordinal))
        {
            started.TrySetResult();
            return;
        }

        lock (types)
        {
            if (type.EndsWith(nameof(EndMarker) + "[]", StringComparison.Ordinal))
            {
                recording = false;
                ended.TrySetResult();
            }
            else if (recording)
            {
                types.Add(type);
            }
        }
    }

    private sealed class StartMarker;

    private sealed class EndMarker;
}
