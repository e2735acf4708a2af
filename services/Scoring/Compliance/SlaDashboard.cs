using System.Data.Common;
using Dapper;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;

namespace Ops.Scoring.Compliance;

/// <summary>
/// Which faults the dashboard counts: reported in [From, To) on a contract, optionally one site, system or severity,
/// and only at the sites of the caller's <see cref="Scope"/> (left out: every site).
/// </summary>
public sealed record DashboardFilter(string Contract, DateTimeOffset From, DateTimeOffset To, string? SiteCode, string? System, Severity? Severity, Scope? Scope = null);

/// <summary>SLA compliance of the faults a filter selects.</summary>
/// <param name="ResponseRate">Responded in time ÷ (responded + breached still unanswered), in percent; null while nothing is decided.</param>
/// <param name="RepairRate">Repaired in time ÷ (repaired + breached still unrepaired), in percent; null while nothing is decided.</param>
/// <param name="OpenBreaches">Clocks past their deadline whose ticket is still not acknowledged or not resolved.</param>
/// <param name="Reopened">Faults reopened at least once after a resolution.</param>
/// <param name="MeanRepairMinutes">From report to resolution, leaving out the time a reopened fault spent resolved.</param>
/// <param name="Requests">Service requests reported in the period (the figures above are of faults).</param>
/// <param name="CompletionRate">Requests completed in time ÷ (completed + late and still open), in percent; the contract asks for 100 %.</param>
public sealed record SlaCompliance(
    string Contract,
    DateTimeOffset From,
    DateTimeOffset To,
    string? SiteCode,
    string? System,
    Severity? Severity,
    long Faults,
    long Responded,
    long RespondedOnTime,
    decimal? ResponseRate,
    long Repaired,
    long RepairedOnTime,
    decimal? RepairRate,
    long OpenBreaches,
    long Reopened,
    decimal? MeanAcknowledgeMinutes,
    decimal? P90AcknowledgeMinutes,
    decimal? MeanRepairMinutes,
    decimal? P90RepairMinutes,
    long Requests,
    long Completed,
    long CompletedOnTime,
    decimal? CompletionRate);

/// <summary>What a breakdown splits the figures by: the Shanghai month of report, the site or the system.</summary>
public enum BreakdownBy
{
    Month,
    Site,
    System,
}

/// <summary>The figures of a filter split into rows: one per month of the period, or per site or system that has clocks in it.</summary>
/// <param name="Rows">
/// Each row is what <c>GET /api/dashboard/sla</c> answers for its group: the month's part of the period, or the filter
/// narrowed to the row's site or system. The rows' counts add up to the whole filter's.
/// </param>
public sealed record SlaBreakdown(
    string Contract,
    DateTimeOffset From,
    DateTimeOffset To,
    string? SiteCode,
    string? System,
    Severity? Severity,
    BreakdownBy By,
    IReadOnlyList<SlaCompliance> Rows);

/// <summary>
/// The SLA dashboard. The whole Shanghai months and days of a period are read from the roll-ups, the
/// part-days at its edges from the clock facts themselves; the p90 is found in its band of the histogram
/// and then taken exactly from that band's clocks, so every figure is the same as counting every clock.
/// </summary>
public sealed class SlaDashboard(Database database)
{
    private readonly ComplianceSql sql = ComplianceSql.For(database.Provider);

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    public Task<SlaCompliance> ComplianceAsync(DashboardFilter filter, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async c => await FiguresAsync(c, filter, (await TalliesAsync(c, filter, null)).GetValueOrDefault("") ?? new()), cancellationToken);

    /// <summary>
    /// The filter's figures split by month, site or system, in one read: a month's rows from its own roll-ups and edges,
    /// a site's or system's from the period's roll-ups grouped by it.
    /// </summary>
    public Task<SlaBreakdown> BreakdownAsync(DashboardFilter filter, BreakdownBy by, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async c =>
        {
            var rows = new List<SlaCompliance>();
            if (by == BreakdownBy.Month)
            {
                for (var month = ShanghaiCalendar.MonthStartOf(filter.From); month < filter.To; month = ShanghaiCalendar.MonthStartOnOrAfter(month.AddDays(1)))
                {
                    var next = ShanghaiCalendar.MonthStartOnOrAfter(month.AddDays(1));
                    var part = filter with { From = month > filter.From ? month : filter.From, To = next < filter.To ? next : filter.To };
                    rows.Add(await FiguresAsync(c, part, (await TalliesAsync(c, part, null)).GetValueOrDefault("") ?? new()));
                }
            }
            else
            {
                foreach (var (group, tallies) in (await TalliesAsync(c, filter, by)).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    var narrowed = by == BreakdownBy.Site ? filter with { SiteCode = group } : filter with { System = group };
                    rows.Add(await FiguresAsync(c, narrowed, tallies));
                }
            }

            return new SlaBreakdown(filter.Contract, filter.From, filter.To, filter.SiteCode, filter.System, filter.Severity, by, rows);
        }, cancellationToken);

    private DynamicParameters Parameters(DashboardFilter filter, DateTimeOffset from, DateTimeOffset to) => (filter.Scope ?? Scope.All).AddTo(new(new
    {
        filter.Contract,
        From = from,
        To = to,
        filter.SiteCode,
        filter.System,
        Severity = filter.Severity is { } severity ? Name(severity) : null,
    }));

    /// <summary>
    /// The tallies of the filter's clocks by ticket kind and clock: all under the group "" when <paramref name="by"/> is
    /// null, else under each site's code or system's name.
    /// </summary>
    private async Task<Dictionary<string, Tallies>> TalliesAsync(DbConnection c, DashboardFilter filter, BreakdownBy? by)
    {
        var groups = new Dictionary<string, Tallies>(StringComparer.Ordinal);
        Tallies Of(string group) => groups.TryGetValue(group, out var tallies) ? tallies : groups[group] = new();

        // Adds (sign 1) or takes away (sign -1) the roll-ups of the whole days or months in [from, to).
        async Task AddRollupsAsync(string span, DateTimeOffset from, DateTimeOffset to, int sign = 1)
        {
            if (from >= to)
            {
                return;
            }

            var parameters = Parameters(filter, from, to);
            parameters.Add("Span", span);
            await using var reader = await c.ExecuteReaderAsync(sql.RollupRows, parameters);
            while (await reader.ReadAsync())
            {
                // The counters in the order of ComplianceSql.Counters: five counts, the sum of elapsed times, the bands.
                var column = ComplianceSql.FirstCounterColumn;
                var tally = new ClockTally
                {
                    Clocks = reader.GetInt64(column++),
                    Stopped = reader.GetInt64(column++),
                    StoppedMet = reader.GetInt64(column++),
                    OpenBreached = reader.GetInt64(column++),
                    Reopened = reader.GetInt64(column++),
                    ElapsedMsSum = reader.GetInt64(column++),
                };
                for (var band = 0; band < ElapsedBands.Count; band++)
                {
                    tally.Bands[band] = reader.GetInt64(column++);
                }

                var group = by switch { BreakdownBy.Site => reader.GetString(0), BreakdownBy.System => reader.GetString(1), _ => "" };
                Of(group).Add(reader.GetString(2), reader.GetString(3), tally, sign);
            }
        }

        // The whole days [from, to) of one month: more than half of it is read as the month less its other days.
        async Task AddDaysOfMonthAsync(DateTimeOffset from, DateTimeOffset to)
        {
            if (from >= to)
            {
                return;
            }

            var month = ShanghaiCalendar.MonthStartOf(from);
            var next = ShanghaiCalendar.MonthStartOnOrAfter(month.AddDays(1));
            if ((to - from) * 2 > next - month)
            {
                await AddRollupsAsync(RollupKey.Month, month, next);
                await AddRollupsAsync(RollupKey.Day, month, from, -1);
                await AddRollupsAsync(RollupKey.Day, to, next, -1);
            }
            else
            {
                await AddRollupsAsync(RollupKey.Day, from, to);
            }
        }

        // Whole months from their roll-ups, the days of the months cut by the period from theirs, the part-days at the edges from the facts.
        var edges = new List<(DateTimeOffset From, DateTimeOffset To)>();
        var wholeDaysFrom = ShanghaiCalendar.DayStartOnOrAfter(filter.From);
        var wholeDaysTo = ShanghaiCalendar.DayStartOf(filter.To);
        if (wholeDaysFrom < wholeDaysTo)
        {
            var wholeMonthsFrom = ShanghaiCalendar.MonthStartOnOrAfter(wholeDaysFrom);
            var wholeMonthsTo = ShanghaiCalendar.MonthStartOf(wholeDaysTo);
            if (wholeMonthsFrom < wholeMonthsTo)
            {
                await AddRollupsAsync(RollupKey.Month, wholeMonthsFrom, wholeMonthsTo);
                await AddDaysOfMonthAsync(wholeDaysFrom, wholeMonthsFrom);
                await AddDaysOfMonthAsync(wholeMonthsTo, wholeDaysTo);
            }
            else if (wholeMonthsFrom < wholeDaysTo)
            {
                await AddDaysOfMonthAsync(wholeDaysFrom, wholeMonthsFrom);
                await AddDaysOfMonthAsync(wholeMonthsFrom, wholeDaysTo);
            }
            else
            {
                await AddDaysOfMonthAsync(wholeDaysFrom, wholeDaysTo);
            }

            edges.Add((filter.From, wholeDaysFrom));
            edges.Add((wholeDaysTo, filter.To));
        }
        else
        {
            edges.Add((filter.From, filter.To));
        }

        foreach (var (from, to) in edges.Where(e => e.From < e.To))
        {
            foreach (var fact in await c.QueryAsync<ClockFactRow>(sql.FactsOfPeriod, Parameters(filter, from, to)))
            {
                var group = by switch { BreakdownBy.Site => fact.SiteCode, BreakdownBy.System => fact.System, _ => "" };
                Of(group).Add(fact.TicketKind, fact.Clock, fact.Tally);
            }
        }

        // A site or system whose clocks were all taken away again (on the days a month's roll-up has beyond the period) has none in it.
        foreach (var (group, tallies) in groups.Where(g => g.Value.IsEmpty).ToList())
        {
            groups.Remove(group);
        }

        return groups;
    }

    /// <summary>The figures of one filter from its tallies, with the exact p90s read from its clocks.</summary>
    private async Task<SlaCompliance> FiguresAsync(DbConnection c, DashboardFilter filter, Tallies tallies)
    {
        // The nearest-rank p90 of the stopped clocks: its band from the histogram, then its place within the band.
        async Task<double?> P90(ClockKind clock)
        {
            var tally = tallies.Of(TicketKind.Fault, clock);
            if (tally.Stopped == 0)
            {
                return null;
            }

            var rank = Percentile.NearestRankIndex(tally.Stopped, 0.9);
            var band = 0;
            for (; rank >= tally.Bands[band]; band++)
            {
                rank -= tally.Bands[band];
            }

            // Walked from the band's nearer end: the same clock, counted from the longest down when that is shorter.
            var fromTop = rank >= tally.Bands[band] - rank;
            var (bandFrom, bandTo) = ElapsedBands.Range(band);
            var parameters = Parameters(filter, filter.From, filter.To);
            var month = ShanghaiCalendar.MonthKey(filter.From);
            parameters.AddDynamicParams(new { Clock = Name(clock), BandFrom = bandFrom, BandTo = bandTo, Offset = fromTop ? tally.Bands[band] - 1 - rank : rank, Month = month });
            return await c.ExecuteScalarAsync<double?>(sql.ElapsedAtRank(Walk(filter, month), fromTop), parameters);
        }

        var response = tallies.Of(TicketKind.Fault, ClockKind.Response);
        var repair = tallies.Of(TicketKind.Fault, ClockKind.Repair);
        var completion = tallies.Of(TicketKind.Request, ClockKind.Completion);
        return new SlaCompliance(
            filter.Contract, filter.From, filter.To, filter.SiteCode, filter.System, filter.Severity,
            response.Clocks,
            response.Stopped,
            response.StoppedMet,
            Percentile.Rate(response.StoppedMet, response.Stopped + response.OpenBreached),
            repair.Stopped,
            repair.StoppedMet,
            Percentile.Rate(repair.StoppedMet, repair.Stopped + repair.OpenBreached),
            response.OpenBreached + repair.OpenBreached,
            repair.Reopened,
            Percentile.Minutes(Mean(response)),
            Percentile.Minutes(await P90(ClockKind.Response)),
            Percentile.Minutes(Mean(repair)),
            Percentile.Minutes(await P90(ClockKind.Repair)),
            completion.Clocks,
            completion.Stopped,
            completion.StoppedMet,
            Percentile.Rate(completion.StoppedMet, completion.Stopped + completion.OpenBreached));
    }

    /// <summary>The narrowest index that holds the filter's clocks in elapsed order: its month's, else its system's or site's.</summary>
    private static RankWalk Walk(DashboardFilter filter, string month) =>
        ShanghaiCalendar.MonthKey(filter.To.AddTicks(-1)) == month ? RankWalk.Month
        : filter.System is not null ? RankWalk.System
        : filter.SiteCode is not null ? RankWalk.Site
        : RankWalk.Contract;

    private static double? Mean(ClockTally tally) => tally.Stopped == 0 ? null : (double)tally.ElapsedMsSum / tally.Stopped;

    /// <summary>The tallies of one group of clocks, by ticket kind and clock (their names as stored).</summary>
    private sealed class Tallies
    {
        private readonly Dictionary<(string Kind, string Clock), ClockTally> tallies = [];

        public ClockTally Of(TicketKind kind, ClockKind clock) =>
            tallies.TryGetValue((Name(kind), Name(clock)), out var tally) ? tally : tallies[(Name(kind), Name(clock))] = new ClockTally();

        public void Add(string kind, string clock, ClockTally tally, int sign = 1) =>
            tallies[(kind, clock)] = tallies.TryGetValue((kind, clock), out var sum) ? sum.Add(tally, sign) : sign < 0 ? new ClockTally().Add(tally, sign) : tally;

        public bool IsEmpty => tallies.Values.All(t => t.IsEmpty);
    }
}

/// <summary>Rates and percentiles as the dashboard reports them.</summary>
public static class Percentile
{
    /// <summary>The 0-based position of the <paramref name="fraction"/> percentile among <paramref name="count"/> sorted values (nearest rank).</summary>
    public static long NearestRankIndex(long count, double fraction) =>
        Math.Max(0, (long)Math.Ceiling(fraction * count) - 1);

    /// <summary><paramref name="part"/> of <paramref name="whole"/> in percent, two decimals; null when the whole is zero.</summary>
    public static decimal? Rate(long part, long whole) =>
        whole == 0 ? null : Math.Round(100m * part / whole, 2, MidpointRounding.AwayFromZero);

    public static decimal? Minutes(double? milliseconds) =>
        milliseconds is { } ms ? Math.Round((decimal)ms / 60_000m, 1, MidpointRounding.AwayFromZero) : null;
}
