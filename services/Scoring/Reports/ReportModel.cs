using System.Text.Json.Serialization;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Scoring.Compliance;
using Ops.Scoring.Ledger;

namespace Ops.Scoring.Reports;

/// <summary>The three kinds of SLA report the contractor hands the bureau.</summary>
public enum ReportKind
{
    /// <summary>月报: a Shanghai calendar month, the first and last cut to the service period.</summary>
    Month,

    /// <summary>季报: a quarter of the contract's service year (three months from its start day).</summary>
    Quarter,

    /// <summary>年度报告: the whole service year.</summary>
    Year,
}

/// <summary>
/// One period a report covers, [From, To) in UTC. <paramref name="Key"/> names it in the API: a month as
/// <c>2026-03</c>, a quarter of the first service year as <c>Q1</c>–<c>Q4</c> and of a later one as <c>2027-Q1</c>, a service
/// year as the year it starts (<c>2026</c>).
/// </summary>
public sealed record ReportPeriod(ReportKind Kind, string Key, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>Its Chinese name, e.g. 2026年3月, 第一季度（2026-02-28 至 2026-05-27）, 2026年度.</summary>
    public required string Name { get; init; }
}

/// <summary>Everything a report holds, as of its period's end (or, for a period still running, of when it was made).</summary>
public sealed record ReportFigures
{
    public required string Contract { get; init; }
    public required string Title { get; init; }
    public required string Bureau { get; init; }
    public required string Contractor { get; init; }
    public required decimal Amount { get; init; }
    public required DateOnly ServiceStart { get; init; }
    public required DateOnly ServiceEnd { get; init; }
    public required ReportPeriod Period { get; init; }

    /// <summary>One site's report; null for the whole contract.</summary>
    public string? SiteCode { get; init; }

    /// <summary>True while the period has not ended (未结束): the figures are as of <see cref="AsOf"/>.</summary>
    public required bool InProgress { get; init; }

    /// <summary>The moment the figures describe: the period's end, or the moment an unfinished period was reported on.</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>The period's figures exactly as <c>GET /api/dashboard/sla</c> answers for it.</summary>
    public required SlaCompliance Whole { get; init; }

    public required IReadOnlyList<SlaCompliance> BySeverity { get; init; }
    public required IReadOnlyList<SlaCompliance> BySite { get; init; }
    public required IReadOnlyList<SlaCompliance> BySystem { get; init; }

    /// <summary>The contract's target for response, repair and completion rates, in percent (100).</summary>
    public required decimal TargetRate { get; init; }

    /// <summary>
    /// Every clock whose breach the ledger places in the period (by <c>occurredAt</c>, as <see cref="Ledger"/>), whenever its
    /// ticket was reported, the earliest deadline first; one whose breach was taken back is none. Their points add up to
    /// the period's entries of tickets: the automatic deductions and their waivers.
    /// </summary>
    public required IReadOnlyList<ReportBreach> Breaches { get; init; }

    /// <summary>The ledger's entries placed in the period (by <c>occurredAt</c>), in ledger order.</summary>
    public required IReadOnlyList<ReportLedgerEntry> Ledger { get; init; }

    /// <summary>Per assessment item: what the period's entries add, split by where they come from.</summary>
    public required IReadOnlyList<ReportItem> Items { get; init; }

    /// <summary>
    /// The assessment from the service year's start to the period's end; null in a site's report, since the score is the
    /// whole contract's and a caller limited to the site may not read it.
    /// </summary>
    public ReportAssessment? Assessment { get; init; }

    /// <summary>The previous period of the same kind (null for the first).</summary>
    public ReportComparison? Previous { get; init; }

    /// <summary>Tickets reported before the period's end whose repair (or completion) clock had not stopped by then.</summary>
    public required IReadOnlyList<ReportTicket> OpenAtEnd { get; init; }

    /// <summary>
    /// The SHA-256 of <see cref="Tickets"/> as JSON, set by the store: the figures' JSON then stands for everything the
    /// workbook shows, so two reports with the same figures are the same report whatever library wrote the workbook.
    /// </summary>
    public string? TicketsSha256 { get; init; }

    /// <summary>Every ticket reported in the period, with both its clocks: the workbook's 工单明细, left out of the JSON.</summary>
    /// <remarks>Not <c>required</c>: System.Text.Json refuses a required property it ignores.</remarks>
    [JsonIgnore]
    public IReadOnlyList<ReportTicket> Tickets { get; init; } = [];
}

/// <summary>A breached clock: the ticket, the clock, its deadline, when it breached and when (if ever) it was met, the overrun and what it cost.</summary>
/// <param name="Overrun">From the deadline to the stop, or to the figures' moment while it still runs.</param>
/// <param name="Points">What the breach still costs after retractions and waivers (0 when waived).</param>
/// <param name="Waived">True when a manager waived the deduction.</param>
public sealed record ReportBreach(
    Guid TicketId, string TicketNumber, TicketKind Kind, string Severity, string SiteCode, string System, ClockKind Clock,
    DateTimeOffset ReportedAt, DateTimeOffset Deadline, DateTimeOffset BreachedAt, DateTimeOffset? StoppedAt, TimeSpan Overrun,
    int? Item, decimal Points, bool Waived);

/// <summary>A ledger entry of the period.</summary>
public sealed record ReportLedgerEntry(
    long EntryNo, Guid Id, int Item, decimal Points, DeductionSource Source, string Reason, string? TicketNumber, ClockKind? Clock,
    Guid? Compensates, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, string RecordedBy);

/// <summary>An item's entries in the period: automatic (breaches less retractions), manual, and waived (negative).</summary>
public sealed record ReportItem(int Item, string Name, decimal MaxPoints, decimal Automatic, decimal Manual, decimal Waived, decimal Net);

/// <summary>The score, tier, fee reduction and rectification from the service year's start to a moment.</summary>
public sealed record ReportAssessment(DateTimeOffset AsOf, decimal TotalDeduction, decimal Score, string Tier, decimal FeeReduction, bool RectificationRequired);

/// <summary>The previous period's headline figures, to compare with.</summary>
public sealed record ReportComparison(ReportPeriod Period, SlaCompliance Whole, decimal PeriodDeduction, ReportAssessment? Assessment);

/// <summary>A ticket as the report lists it; the clocks as last known at the figures' moment.</summary>
public sealed record ReportTicket(
    Guid TicketId, string TicketNumber, TicketKind Kind, string Severity, string SiteCode, string System, DateTimeOffset ReportedAt,
    ReportClock? Response, ReportClock? Repair);

/// <summary>One clock of a listed ticket.</summary>
public sealed record ReportClock(ClockKind Clock, DateTimeOffset Deadline, string State, DateTimeOffset? BreachedAt, DateTimeOffset? StoppedAt);
