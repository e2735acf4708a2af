namespace Ops.Console.Services;

/// <summary>A report and its figures, as <c>GET /api/reports/{id}</c> answers: what the printable page shows.</summary>
public sealed record ReportDocument(ReportSummary Report, ReportFigures Figures);

/// <summary>Everything a report holds, as of its period's end (or, while the period runs, of when it was made). Kinds and clocks as the API names them.</summary>
public sealed record ReportFigures(
    string Contract, string Title, string Bureau, string Contractor, decimal Amount, DateOnly ServiceStart, DateOnly ServiceEnd,
    ReportPeriodOf Period, string? SiteCode, bool InProgress, DateTimeOffset AsOf,
    SlaFigures Whole, List<SlaFigures> BySeverity, List<SlaFigures> BySite, List<SlaFigures> BySystem, decimal TargetRate,
    List<ReportBreach> Breaches, List<ReportLedgerEntry> Ledger, List<ReportItem> Items, ReportAssessment? Assessment,
    ReportComparison? Previous, List<ReportTicket> OpenAtEnd);

/// <summary>The period a report covers, [From, To): <c>kind</c> month|quarter|year, <c>key</c> 2026-03|Q1|2027-Q1|2026, and its Chinese name.</summary>
public sealed record ReportPeriodOf(string Kind, string Key, DateTimeOffset From, DateTimeOffset To, string Name);

/// <summary>A breached clock, its overrun and what it still costs (0 when waived).</summary>
public sealed record ReportBreach(
    Guid TicketId, string TicketNumber, string Kind, string? Severity, string SiteCode, string System, string Clock,
    DateTimeOffset ReportedAt, DateTimeOffset Deadline, DateTimeOffset BreachedAt, DateTimeOffset? StoppedAt, TimeSpan Overrun,
    int? Item, decimal Points, bool Waived);

/// <summary>A ledger entry of the period.</summary>
public sealed record ReportLedgerEntry(
    long EntryNo, Guid Id, int Item, decimal Points, string Source, string Reason, string? TicketNumber, string? Clock,
    Guid? Compensates, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, string RecordedBy);

/// <summary>An item's points in the period: automatic, manual and waived (negative), and their sum.</summary>
public sealed record ReportItem(int Item, string Name, decimal MaxPoints, decimal Automatic, decimal Manual, decimal Waived, decimal Net);

/// <summary>Score, tier, fee reduction and rectification from the service year's start to <c>asOf</c>.</summary>
public sealed record ReportAssessment(DateTimeOffset AsOf, decimal TotalDeduction, decimal Score, string Tier, decimal FeeReduction, bool RectificationRequired);

/// <summary>The previous period's headline figures.</summary>
public sealed record ReportComparison(ReportPeriodOf Period, SlaFigures Whole, decimal PeriodDeduction, ReportAssessment? Assessment);

/// <summary>A ticket still open at the period's end, with its clocks as they were then.</summary>
public sealed record ReportTicket(
    Guid TicketId, string TicketNumber, string Kind, string? Severity, string SiteCode, string System, DateTimeOffset ReportedAt,
    ReportClock? Response, ReportClock? Repair);

/// <summary>One clock of a listed ticket.</summary>
public sealed record ReportClock(string Clock, DateTimeOffset Deadline, string State, DateTimeOffset? BreachedAt, DateTimeOffset? StoppedAt);
