using System.Diagnostics.Metrics;
using Dapper;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Storage;
using Ops.SlaTimer.Storage;

namespace Ops.SlaTimer.Clocks;

/// <summary>
/// <c>ops_clocks_running{clock}</c> and <c>ops_breaches_total{clock,severity}</c>. The running clocks are counted in
/// the store when the service starts and every <see cref="Recount"/>, and kept in memory between, moved by every clock
/// this instance starts, stops or breaches: reading the gauge never scans the clocks. With several sla-timers each
/// sees its own changes at once and the others' at its next count.
/// </summary>
public sealed class ClockMetrics : BackgroundService
{
    /// <summary>The sla-timer's meter.</summary>
    public const string Meter = "Ops.SlaTimer";

    /// <summary>How often the running clocks are counted again in the store.</summary>
    public static readonly TimeSpan Recount = TimeSpan.FromMinutes(5);

    private readonly Database database;
    private readonly ILogger<ClockMetrics> logger;
    private readonly Counter<long> breaches;
    private readonly long[] running = new long[2];
    private volatile bool counted;

    public ClockMetrics(Database database, IMeterFactory meters, ILogger<ClockMetrics> logger)
    {
        this.database = database;
        this.logger = logger;
        var meter = meters.Create(Meter);
        breaches = meter.CreateCounter<long>("ops.breaches", "{breach}",
            "Clocks that ran past their deadline, by clock (response, repair) and the ticket's severity (general, severe; none for a service request).");
        meter.CreateObservableGauge("ops.clocks.running", ObserveRunning, "{clock}",
            "Clocks running now (not paused, met or breached), by clock.");
    }

    /// <summary>Counts the breaches among stored events.</summary>
    public void Breached(IEnumerable<object> events)
    {
        foreach (var message in events)
        {
            if (message is SlaBreached breach)
            {
                breaches.Add(1,
                    new KeyValuePair<string, object?>("clock", ClockName(breach.Clock.Clock)),
                    new KeyValuePair<string, object?>("severity", SeverityName(breach.Clock)));
            }
        }
    }

    /// <summary>A stored change of a clock: from running or not, to running or not.</summary>
    public void Changed(ClockKind clock, bool wasRunning, bool isRunning)
    {
        if (wasRunning != isRunning)
        {
            Interlocked.Add(ref running[Index(clock)], isRunning ? 1 : -1);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Recount);
        do
        {
            try
            {
                await CountAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("The running clocks could not be counted for the metrics ({Error}); again in {Recount}", e.GetType().Name, Recount);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task CountAsync(CancellationToken cancellationToken)
    {
        var counts = await database.ReadAsync(c => c.QuerySingleAsync<(long Response, long Repair, long Completion)>(ClockSql.For(database.Provider).RunningByClock), cancellationToken);
        long[] fresh = [counts.Response, counts.Repair + counts.Completion]; // a request's completion counts as repair, as in Index

        // A change committed while the count ran may be counted twice or not at all here: the next count puts it right.
        for (var i = 0; i < fresh.Length; i++)
        {
            Interlocked.Exchange(ref running[i], fresh[i]);
        }

        counted = true;
    }

    private IEnumerable<Measurement<long>> ObserveRunning() =>
        counted
            ?
            [
                new(Interlocked.Read(ref running[0]), new KeyValuePair<string, object?>("clock", "response")),
                new(Interlocked.Read(ref running[1]), new KeyValuePair<string, object?>("clock", "repair")),
            ]
            : [];

    private static int Index(ClockKind clock) => clock == ClockKind.Response ? 0 : 1;

    private static string ClockName(ClockKind clock) => clock == ClockKind.Response ? "response" : "repair";

    /// <summary>A service request has no severity (older events carry general for it).</summary>
    private static string SeverityName(ClockFacts clock) => clock switch
    {
        { Kind: TicketKind.Request } or { Severity: null } => "none",
        { Severity: Severity.Severe } => "severe",
        _ => "general",
    };
}
