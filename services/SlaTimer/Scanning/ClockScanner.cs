using System.ComponentModel.DataAnnotations;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Ops.SlaTimer.Storage;

namespace Ops.SlaTimer.Scanning;

public sealed class ScannerOptions
{
    public const string Section = "Scanner";

    /// <summary>How many due clocks one transaction breaches.</summary>
    [Range(1, 10000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>The longest the scanner sleeps without looking, whatever the next deadline.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MaxIdle { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Finds running clocks past their deadline and breaches them, and raises the warnings of running
/// clocks that reached a warning point. It sleeps until the earliest stored deadline or warning point
/// (at most <see cref="ScannerOptions.MaxIdle"/>), and is woken early when a clock with an earlier one
/// is stored. At start-up its first pass breaches every deadline that passed while
/// the service was down; each clock is breached once, because breaching is a state change in the store.
/// </summary>
public sealed class ClockScanner : BackgroundService
{
    private readonly ClockStore store;
    private readonly TimeProvider time;
    private readonly ScannerOptions options;
    private readonly ILogger<ClockScanner> logger;
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long nextLookTicks = long.MaxValue;
    private long scannedUpToTicks;

    public ClockScanner(ClockStore store, TimeProvider time, IOptions<ScannerOptions> options, ILogger<ClockScanner> logger)
    {
        this.store = store;
        this.time = time;
        this.options = options.Value;
        this.logger = logger;
        store.RunningDeadlineStored += deadline =>
        {
            if (deadline.UtcTicks < Interlocked.Read(ref nextLookTicks))
            {
                Wake();
            }
        };
    }

    /// <summary>Starts a pass now instead of at the planned time (or right after the pass under way).</summary>
    internal void Wake() => wake.Writer.TryWrite(true);

    /// <summary>The time the last complete pass looked at (null before the first): readiness shows it, so a stuck scanner is seen.</summary>
    public DateTimeOffset? ScannedUpTo => Interlocked.Read(ref scannedUpToTicks) is > 0 and var ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScanAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The clock scan failed; trying again in {Delay}", options.MaxIdle);
                await Task.Delay(options.MaxIdle, time, stoppingToken);
            }
        }
    }

    /// <summary>One pass: breach what is due, then sleep until the next deadline, the idle limit or a wake-up.</summary>
    internal async Task ScanAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var breached = 0;
        int batch;
        do
        {
            batch = await store.BreachDueAsync(now, options.BatchSize, cancellationToken);
            breached += batch;
        }
        while (batch == options.BatchSize);

        if (breached > 0)
        {
            logger.LogInformation("Breached {Count} clocks whose deadline passed", breached);
        }

        // Warnings after breaches: a clock past its deadline is breached, not warned.
        int warned;
        do
        {
            warned = await store.WarnDueAsync(now, options.BatchSize, cancellationToken);
        }
        while (warned == options.BatchSize);

        Interlocked.Exchange(ref scannedUpToTicks, now.UtcTicks);
        var next = await store.NextDueAsync(cancellationToken);
        now = time.GetUtcNow();
        var idleUntil = now + options.MaxIdle;

        // A clock breaches once the time is past its deadline: look one tick after it.
        var lookAt = next is { } deadline && deadline.AddTicks(1) < idleUntil ? deadline.AddTicks(1) : idleUntil;
        Interlocked.Exchange(ref nextLookTicks, lookAt.UtcTicks);
        if (lookAt > now)
        {
            using var sleep = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var woken = wake.Reader.ReadAsync(sleep.Token).AsTask();
            var slept = Task.Delay(lookAt - now, time, sleep.Token);

            // A clock set forward past the look time before the sleep's timer was set would leave it waiting for the next move.
            if (time.GetUtcNow() < lookAt)
            {
                await Task.WhenAny(woken, slept);
            }

            await sleep.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
