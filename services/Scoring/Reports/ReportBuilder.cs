using Dapper;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Storage;
using Ops.Scoring.Assessment;
using Ops.Scoring.Compliance;
using Ops.Scoring.Ledger;

namespace Ops.Scoring.Reports;

/// <summary>
/// Gathers a report's figures from the clock facts and the ledger, as of the period's end (or now, while it runs).
/// The counts and rates are the dashboard's own and the score the assessment's own, so a report never disagrees
/// with them; everything is ordered by what it is, so the same store gives the same figures.
/// </summary>
public sealed class ReportBuilder(Database database, SlaDashboard dashboard, DeductionLedger ledger)
{
    /// <summary>The contract asks for every response, repair and completion in time.</summary>
    private const decimal TargetRate = 100m;

    private readonly ReportSql sql = ReportSql.For(database.Provider);

    public async Task<ReportFigures> BuildAsync(ContractTerms terms, ReportPeriod period, string? siteCode, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var asOf = now < period.To ? now : period.To;
        var filter = new DashboardFilter(terms.Code, period.From, period.To, siteCode, null, null);
        // Every clock of the period is the longest read: its two halves are read at once, on two connections and two
        // cores, while the rest is read beside them. A ticket's clocks share its report time, so no ticket is cut.
        var middle = period.From + (period.To - period.From) / 2;
        // (Task.Run: SQLite's reads run on the calling thread even when asked asynchronously.)
        var firstHalf = Task.Run(() => ReadClocksAsync(sql.ClocksOfPeriod, terms, period with { To = middle }, siteCode, asOf, cancellationToken), cancellationToken);
        var secondHalf = Task.Run(() => ReadClocksAsync(sql.ClocksOfPeriod, terms, period with { From = middle }, siteCode, asOf, cancellationToken), cancellationToken);
        var entries = await ReadAsync<Deduction>(sql.EntriesOfPeriod, terms, period, siteCode, asOf, cancellationToken);
        var breached = await ReadClocksAsync(sql.ClocksOfPeriodEntries, terms, period, siteCode, asOf, cancellationToken);
        var open = await ReadClocksAsync(sql.ClocksOpenAt, terms, period, siteCode, asOf, cancellationToken);
        var clocks = await firstHalf;
        clocks.AddRange(await secondHalf);

        return new ReportFigures
        {
            Contract = terms.Code,
            Title = terms.Title,
            Bureau = terms.Bureau,
            Contractor = terms.Contractor,
            Amount = terms.Amount,
            ServiceStart = terms.ServiceStart,
            ServiceEnd = terms.ServiceEnd,
            Period = period,
            SiteCode = siteCode,
            InProgress = now < period.To,
            AsOf = asOf,
            Whole = await dashboard.ComplianceAsync(filter, cancellationToken),
            BySeverity =
            [
                await dashboard.ComplianceAsync(filter with { Severity = Severity.General }, cancellationToken),
                await dashboard.ComplianceAsync(filter with { Severity = Severity.Severe }, cancellationToken),
            ],
            BySite = (await dashboard.BreakdownAsync(filter, BreakdownBy.Site, cancellationToken)).Rows,
            BySystem = (await dashboard.BreakdownAsync(filter, BreakdownBy.System, cancellationToken)).Rows,
            TargetRate = TargetRate,
            Breaches = Breaches(breached, entries, asOf),
            Ledger = [.. entries.Select(Entry)],
            Items = Items(terms, entries),
            Assessment = siteCode is null ? await AssessmentAsync(terms, asOf, cancellationToken) : null,
            Previous = await PreviousAsync(terms, period, siteCode, now, cancellationToken),
            OpenAtEnd = Tickets(open),
            Tickets = Tickets(clocks),
        };
    }

    private Task<List<ReportClockRow>> ReadClocksAsync(string statement, ContractTerms terms, ReportPeriod period, string? siteCode, DateTimeOffset asOf, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            await using var reader = await c.ExecuteReaderAsync(statement, new { Contract = terms.Code, period.From, period.To, SiteCode = siteCode, AsOf = asOf });
            var rows = new List<ReportClockRow>();
            var textIds = database.Provider == SqlProvider.Sqlite;
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(ReportClockRow.Read(reader, textIds));
            }

            return rows;
        }, cancellationToken);

    private Task<List<T>> ReadAsync<T>(string statement, ContractTerms terms, ReportPeriod period, string? siteCode, DateTimeOffset asOf, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QueryAsync<T>(statement, new { Contract = terms.Code, period.From, period.To, SiteCode = siteCode, AsOf = asOf })).AsList(), cancellationToken);

    /// <summary>
    /// The clocks whose breach the ledger places in the period (by <c>occurredAt</c>, as 扣分明细 lists its entries), the
    /// earliest deadline first, each with what its entries of the period add. A clock whose every breach of the period was
    /// taken back (it was met after all) is none. So 超时明细 adds up to 扣分明细's entries of tickets: breaches,
    /// retractions and waivers of the period.
    /// </summary>
    private static List<ReportBreach> Breaches(List<ReportClockRow> clocks, List<Deduction> entries, DateTimeOffset asOf)
    {
        var byClock = entries.Where(e => e.ClockId is not null).ToLookup(e => e.ClockId!.Value);
        var retracted = entries.Where(e => e.Source == DeductionSource.Retraction && e.Compensates is not null).Select(e => e.Compensates!.Value).ToHashSet();
        return clocks
            .Where(c => byClock[c.ClockId].Any(e => e.Source == DeductionSource.Breach && !retracted.Contains(e.Id)))
            .OrderBy(c => c.Deadline).ThenBy(c => c.TicketNumber, StringComparer.Ordinal).ThenBy(c => c.Clock).ThenBy(c => c.ClockId)
            .Select(c =>
            {
                var own = byClock[c.ClockId].ToList();
                var breach = own.Where(e => e.Source == DeductionSource.Breach).MaxBy(e => e.EntryNo)!;
                var overrun = (c.StoppedAt ?? asOf) - c.Deadline;
                return new ReportBreach(
                    c.TicketId, c.TicketNumber, c.Kind, c.Severity, c.SiteCode, c.System, c.Clock, c.ReportedAt, c.Deadline, c.BreachedAt ?? breach.BreachedAt ?? c.Deadline,
                    c.StoppedAt, overrun > TimeSpan.Zero ? overrun : TimeSpan.Zero,
                    breach.Item,
                    own.Sum(e => e.PointsHundredths) / 100m,
                    own.Any(e => e.Source == DeductionSource.Waiver));
            })
            .ToList();
    }

    private static ReportLedgerEntry Entry(Deduction d) => new(
        d.EntryNo, d.Id, d.Item, d.Points, d.Source, d.Reason, d.TicketNumber, d.Clock, d.Compensates, d.OccurredAt, d.RecordedAt, d.RecordedBy);

    /// <summary>Every item of the contract: automatic (breaches less retractions), manual and waived in the period.</summary>
    private static List<ReportItem> Items(ContractTerms terms, List<Deduction> entries) =>
        terms.Assessment.Items.OrderBy(i => i.Number).Select(i =>
        {
            var own = entries.Where(e => e.Item == i.Number).ToList();
            decimal Sum(params DeductionSource[] sources) => own.Where(e => sources.Contains(e.Source)).Sum(e => e.PointsHundredths) / 100m;
            return new ReportItem(i.Number, i.Name, i.MaxPoints,
                Sum(DeductionSource.Breach, DeductionSource.Retraction), Sum(DeductionSource.Manual), Sum(DeductionSource.Waiver),
                own.Sum(e => e.PointsHundredths) / 100m);
        }).ToList();

    /// <summary>The assessment's own arithmetic over the ledger from the service year's start to <paramref name="asOf"/>.</summary>
    private async Task<ReportAssessment> AssessmentAsync(ContractTerms terms, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var totals = await ledger.ItemTotalsAsync(terms, asOf, cancellationToken);
        var result = AssessmentCalculator.Compute(terms, totals.ToDictionary(t => t.Item, t => t.Hundredths / 100m));
        return new ReportAssessment(asOf, result.TotalDeduction, result.Score, result.TierName, result.FeeReduction, result.RectificationRequired);
    }

    private async Task<ReportComparison?> PreviousAsync(ContractTerms terms, ReportPeriod period, string? siteCode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (ReportPeriods.Previous(terms, period) is not { } previous)
        {
            return null;
        }

        var asOf = now < previous.To ? now : previous.To;
        var whole = await dashboard.ComplianceAsync(new DashboardFilter(terms.Code, previous.From, previous.To, siteCode, null, null), cancellationToken);
        var entries = await ReadAsync<Deduction>(sql.EntriesOfPeriod, terms, previous, siteCode, asOf, cancellationToken);
        return new ReportComparison(previous, whole, entries.Sum(e => e.PointsHundredths) / 100m, siteCode is null ? await AssessmentAsync(terms, asOf, cancellationToken) : null);
    }

    /// <summary>The clocks (read a ticket's together) as tickets, in the order read; a request's completion clock stands in its repair's place.</summary>
    private static List<ReportTicket> Tickets(List<ReportClockRow> clocks)
    {
        var tickets = new List<ReportTicket>();
        for (var i = 0; i < clocks.Count;)
        {
            var first = i;
            while (i < clocks.Count && clocks[i].TicketId == clocks[first].TicketId)
            {
                i++;
            }

            var own = clocks.GetRange(first, i - first);
            var response = own.FirstOrDefault(c => c.Clock == ClockKind.Response);
            var repair = own.FirstOrDefault(c => c.Clock != ClockKind.Response);
            var main = repair ?? response!;
            tickets.Add(new ReportTicket(main.TicketId, main.TicketNumber, main.Kind, main.Severity, main.SiteCode, main.System, main.ReportedAt, Clock(response), Clock(repair)));
        }

        return tickets;
    }

    private static ReportClock? Clock(ReportClockRow? c) => c is null ? null : new(c.Clock, c.Deadline, c.State, c.BreachedAt, c.StoppedAt);
}
