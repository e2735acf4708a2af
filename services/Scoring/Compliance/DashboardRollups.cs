using System.Data.Common;
using Dapper;
using Ops.Hosting.Storage;

namespace Ops.Scoring.Compliance;

/// <summary>What the dashboard counts of one clock, as <c>clock_facts</c> keeps it.</summary>
public sealed record ClockFactRow
{
    public long Sequence { get; init; }
    public string Contract { get; init; } = "";
    public DateTimeOffset ReportedAt { get; init; }
    public string SiteCode { get; init; } = "";
    public string System { get; init; } = "";
    public string Severity { get; init; } = "";
    public string TicketKind { get; init; } = "";
    public string Clock { get; init; } = "";
    public string State { get; init; } = "";
    /// <summary>1 when stopped.</summary>
    public long Stopped { get; init; }
    public long? ElapsedMs { get; init; }
    public long Reopens { get; init; }

    /// <summary>The rows it counts in: its day's and its month's.</summary>
    public IEnumerable<RollupKey> Keys => RollupKey.Of(Contract, ReportedAt, SiteCode, System, Severity, TicketKind, Clock);

    public ClockTally Tally => ClockTally.Of(State, Stopped != 0, ElapsedMs, Reopens);
}

/// <summary>
/// The dashboard's roll-ups (<c>clock_rollups</c>): per contract, Shanghai day and month of report, site,
/// system, severity, ticket kind and clock, the counts the dashboard shows and a histogram of elapsed times.
/// They change in the same transaction as the clock facts they count, so a whole month or day is read from
/// one row per key instead of from every clock of it.
/// </summary>
public sealed class DashboardRollups(Database database)
{
    private readonly ComplianceSql sql = ComplianceSql.For(database.Provider);

    /// <summary>What is stored of a clock, null when nothing is.</summary>
    public Task<ClockFactRow?> FactsOfAsync(DbTransaction transaction, Guid clockId) =>
        transaction.QuerySingleOrDefaultAsync<ClockFactRow?>(sql.FactsOfClock, new { ClockId = clockId });

    /// <summary>Moves a clock's share from what was stored of it (<paramref name="before"/>, null when new) to what is stored now.</summary>
    public async Task MoveAsync(DbTransaction transaction, ClockFactRow? before, ClockFactRow after)
    {
        var previous = before?.Keys.ToList();
        foreach (var key in after.Keys)
        {
            var change = after.Tally;
            if (previous?.Find(k => k.Span == key.Span) is { } was)
            {
                if (was == key)
                {
                    change.Add(before!.Tally, -1);
                }
                else
                {
                    await AddAsync(transaction, was, new ClockTally().Add(before!.Tally, -1));
                }
            }

            if (!change.IsEmpty)
            {
                await AddAsync(transaction, key, change);
            }
        }
    }

    /// <summary>
    /// Builds the roll-ups again from the clock facts, in one transaction: for a store from before the
    /// roll-ups, or after clock facts were restored or corrected by hand. Returns the clocks counted.
    /// </summary>
    public Task<long> RebuildAsync(CancellationToken cancellationToken = default) =>
        database.WriteAsync(async t =>
        {
            var periods = new Dictionary<RollupKey, ClockTally>();
            long clocks = 0;
            await foreach (var fact in t.Connection!.QueryUnbufferedAsync<ClockFactRow>(sql.AllFacts, transaction: t).WithCancellation(cancellationToken))
            {
                var tally = fact.Tally;
                foreach (var key in fact.Keys)
                {
                    if (!periods.TryGetValue(key, out var period))
                    {
                        periods[key] = period = new ClockTally();
                    }

                    period.Add(tally);
                }

                clocks++;
            }

            // Every row with all its counters, zeros too: one statement for all of them, which a server prepares once,
            // where the counters a row has would make a statement of their own for nearly every row.
            await t.ExecuteAsync(sql.ClearRollups);
            foreach (var (key, period) in periods)
            {
                await AddAsync(t, key, period, everyCounter: true);
            }

            return clocks;
        }, cancellationToken);

    /// <summary>True when the store has clock facts and no roll-ups of them.</summary>
    public Task<bool> MissingAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(async c => await c.ExecuteScalarAsync<int>(sql.RollupsMissing) == 1, cancellationToken);

    private Task AddAsync(DbTransaction transaction, RollupKey key, ClockTally tally, bool everyCounter = false)
    {
        var parameters = new DynamicParameters(key);
        var counters = new List<string>();
        void Add(string counter, long value)
        {
            if (value != 0 || everyCounter)
            {
                parameters.Add(counter, value);
                counters.Add(counter);
            }
        }

        Add("clocks", tally.Clocks);
        Add("stopped", tally.Stopped);
        Add("stopped_met", tally.StoppedMet);
        Add("open_breached", tally.OpenBreached);
        Add("reopened", tally.Reopened);
        Add("elapsed_ms_sum", tally.ElapsedMsSum);
        for (var band = 0; band < ElapsedBands.Count; band++)
        {
            Add(ElapsedBands.Column(band), tally.Bands[band]);
        }

        return counters.Count == 0 ? Task.CompletedTask : transaction.ExecuteAsync(everyCounter ? sql.AddWholePeriodToRollup : sql.AddToRollup(counters), parameters);
    }
}

/// <summary>Builds the roll-ups at start-up when the store has clock facts and none (before the bus delivers any event).</summary>
internal sealed class DashboardRollupsCheck(DashboardRollups rollups, ILogger<DashboardRollupsCheck> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (await rollups.MissingAsync(cancellationToken))
        {
            var started = TimeProvider.System.GetTimestamp();
            var clocks = await rollups.RebuildAsync(cancellationToken);
            logger.LogInformation("Built the dashboard's roll-ups of {Clocks} clocks in {Elapsed}", clocks, TimeProvider.System.GetElapsedTime(started));
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
