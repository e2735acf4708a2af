using Microsoft.Extensions.Options;
using Ops.Hosting.Http;
using Ops.Scoring.Assessment;

namespace Ops.Scoring.Reports;

/// <summary>
/// Generates the whole-contract report of every month, quarter and year at 01:00 Shanghai time after it ends, and at
/// start-up (after <see cref="ReportOptions.StartDelay"/>, once the backlog of events is consumed) every one that ended
/// while the service was down. A period is generated when it has no version made after its end; for
/// <see cref="ReportOptions.Recheck"/> after its end each run generates it again, and the store keeps a new version only
/// when the figures changed (an event that arrived late). The store keeps one row per version, so several instances
/// store each period once. A period that fails is logged and tried again at the next run; the others go on. Per-site
/// reports are made on demand only.
/// </summary>
public sealed class ReportSchedule(ContractBook contracts, ReportStore store, TimeProvider time, IOptions<ReportOptions> options, ILogger<ReportSchedule> logger)
    : BackgroundService
{
    /// <summary>A period is due this long after it ends: at 01:00 after a month, quarter or year that ends at midnight.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    private static readonly ReportKind[] Kinds = [ReportKind.Month, ReportKind.Quarter, ReportKind.Year];

    private long runs;

    /// <summary>How many runs have finished since start (the first at start-up): tests and the log wait for it.</summary>
    public long Runs => Interlocked.Read(ref runs);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Schedule)
        {
            logger.LogInformation("The report schedule is off (Reports:Schedule): reports are made on demand only");
            return;
        }

        await Task.Yield(); // the service starts while the first run waits for the backlog and looks for missed periods
        try
        {
            await Task.Delay(settings.StartDelay, time, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The report schedule's run failed; it runs again at the next 01:00");
            }

            var now = time.GetUtcNow();
            var sleep = Task.Delay(NextRun(now) - now, time, stoppingToken);
            Interlocked.Increment(ref runs); // once the next run's timer is set: a clock moved after this reaches it
            try
            {
                await sleep;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One run, for every contract: every due period without a report made after its end, and every period that ended
    /// less than <see cref="ReportOptions.Recheck"/> ago again; returns how many versions it stored.
    /// </summary>
    internal async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var recheck = options.Value.Recheck;
        var stored = 0;
        foreach (var terms in contracts.Contracts.Values)
        {
            var done = await store.ClosedPeriodsAsync(terms.Code, cancellationToken);
            foreach (var period in Kinds.SelectMany(kind => ReportPeriods.All(terms, kind)).Where(p => p.To + Grace <= now && (!done.Contains((p.Kind, p.Key)) || now < p.To + recheck)))
            {
                var again = done.Contains((period.Kind, period.Key));
                try
                {
                    var (report, created) = await store.GenerateAsync(terms, period, null, ReportStore.System, time.GetUtcNow(), unlessClosed: !again, cancellationToken);
                    if (created)
                    {
                        stored++;
                        if (again)
                        {
                            logger.LogInformation("Generated the {Kind} report {Period} of {Contract} again: its figures changed, version {Version}", period.Kind, period.Key, terms.Code, report.Version);
                        }
                        else
                        {
                            logger.LogInformation("Generated the {Kind} report {Period} of {Contract}, version {Version}", period.Kind, period.Key, terms.Code, report.Version);
                        }
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    logger.LogError(e, "The {Kind} report {Period} of {Contract} could not be generated; it is tried again at the next run", period.Kind, period.Key, terms.Code);
                }
            }
        }

        return stored;
    }

    /// <summary>The next 01:00 in Shanghai after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextRun(DateTimeOffset now)
    {
        var local = ShanghaiTimeConverter.ToShanghai(now);
        var today = new DateTimeOffset(local.Date, ShanghaiTimeConverter.Offset) + Grace;
        return (today > local ? today : today.AddDays(1)).ToUniversalTime();
    }
}
