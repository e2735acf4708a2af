using System.Data.Common;
using Ops.Hosting.Storage;

namespace Ops.Scoring.Reports;

/// <summary>
/// What a report reads beside the dashboard and the assessment: the clocks of the period's tickets, the tickets
/// still open at its end, the ledger entries of the period and those of its breached clocks. The statements are
/// the same on every provider; each has its class, as every store's SQL has.
/// </summary>
internal abstract class ReportSql : SqlStatements
{
    public static ReportSql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqliteReportSql(),
        SqlProvider.Postgres => new PostgresReportSql(),
        _ => new SqlServerReportSql(),
    };

    /// <summary>What <see cref="ReportClockRow"/> reads of a clock.</summary>
    private const string ClockColumns = """
        f.clock_id AS ClockId, f.ticket_id AS TicketId, f.ticket_number AS TicketNumber, f.ticket_kind AS Kind, f.severity AS Severity,
        f.site_code AS SiteCode, f.system AS System, f.clock AS Clock, f.reported_at AS ReportedAt, f.deadline AS Deadline, f.state AS State,
        f.breached_at AS BreachedAt, f.stopped_at AS StoppedAt
        """;

    private const string EntryColumns = """
        entry_no AS EntryNo, id AS Id, contract AS Contract, item AS Item, points_hundredths AS PointsHundredths,
        source AS Source, reason AS Reason, clock_id AS ClockId, ticket_id AS TicketId, ticket_number AS TicketNumber,
        clock AS Clock, deadline AS Deadline, breached_at AS BreachedAt, compensates AS Compensates,
        occurred_at AS OccurredAt, recorded_at AS RecordedAt, recorded_by AS RecordedBy, recorded_by_id AS RecordedById
        """;

    private const string OfSite = "(@SiteCode IS NULL OR site_code = @SiteCode)";

    /// <summary>Every clock of the tickets reported in [@From, @To) (of @SiteCode, when given), a ticket's clocks together, in report order.</summary>
    public string ClocksOfPeriod => $"""
        SELECT {ClockColumns} FROM clock_facts f
        WHERE f.contract = @Contract AND f.reported_at >= @From AND f.reported_at < @To AND {OfSite}
        ORDER BY f.reported_at, f.ticket_number, f.ticket_id, f.clock
        """;

    /// <summary>
    /// Every clock of the tickets reported before @AsOf whose repair (or completion) clock had not stopped by then. A
    /// reopened ticket counts by its last stop: the facts keep only the newest, so one repaired, reopened and repaired
    /// again after @AsOf is open at @AsOf even if it was resolved for a while before. A ticket's clocks share its report
    /// time, so each open ticket's clocks are sought by the key (contract, report time), not by a walk of every clock.
    /// </summary>
    public string ClocksOpenAt => $"""
        SELECT {ClockColumns} FROM (
            SELECT DISTINCT reported_at, ticket_id FROM clock_facts
            WHERE contract = @Contract AND clock IN ('repair', 'completion') AND reported_at < @AsOf AND {OfSite}
                AND (stopped_at IS NULL OR stopped_at > @AsOf)) o
        JOIN clock_facts f ON f.contract = @Contract AND f.reported_at = o.reported_at AND f.ticket_id = o.ticket_id
        ORDER BY f.reported_at, f.ticket_number, f.ticket_id, f.clock
        """;

    /// <summary>
    /// The clocks of the ledger entries placed in [@From, @To) (of @SiteCode, when given): the clocks 超时明细 lists, sought
    /// by their id, whenever their tickets were reported.
    /// </summary>
    public string ClocksOfPeriodEntries => $"""
        SELECT {ClockColumns} FROM clock_facts f
        WHERE f.clock_id IN (
            SELECT clock_id FROM deductions
            WHERE contract = @Contract AND occurred_at >= @From AND occurred_at < @To AND clock_id IS NOT NULL)
            AND {OfSite}
        """;

    /// <summary>The ledger entries placed in [@From, @To), in ledger order; of one site, only those of its clocks (a manual entry belongs to no site).</summary>
    public string EntriesOfPeriod => $"""
        SELECT {EntryColumns} FROM deductions
        WHERE contract = @Contract AND occurred_at >= @From AND occurred_at < @To
            AND (@SiteCode IS NULL OR clock_id IN (SELECT clock_id FROM clock_facts WHERE contract = @Contract AND site_code = @SiteCode))
        ORDER BY entry_no
        """;
}

internal sealed class SqliteReportSql : ReportSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;
}

internal sealed class SqlServerReportSql : ReportSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;
}

internal sealed class PostgresReportSql : ReportSql
{
    public override SqlProvider Provider => SqlProvider.Postgres;
}

/// <summary>A clock as a report reads it.</summary>
internal sealed record ReportClockRow
{
    public Guid ClockId { get; init; }
    public Guid TicketId { get; init; }
    public string TicketNumber { get; init; } = "";
    public Ops.Contracts.Tickets.TicketKind Kind { get; init; }
    public string Severity { get; init; } = "";
    public string SiteCode { get; init; } = "";
    public string System { get; init; } = "";
    public Ops.Contracts.Sla.ClockKind Clock { get; init; }
    public DateTimeOffset ReportedAt { get; init; }
    public DateTimeOffset Deadline { get; init; }
    public string State { get; init; } = "";
    public DateTimeOffset? BreachedAt { get; init; }
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>
    /// Reads a row of <c>ClockColumns</c>, in their order, by hand: a month's report reads 170,000 of them, and Dapper's
    /// materializer, boxing every value through the id and time handlers, took the largest part of its time.
    /// <paramref name="textIds"/>: the store keeps ids and times as text (SQLite); SQL Server and PostgreSQL give them as
    /// <see cref="Guid"/> and <see cref="DateTime"/> (UTC).
    /// </summary>
    public static ReportClockRow Read(DbDataReader r, bool textIds)
    {
        object Value(int i) => textIds ? r.GetString(i) : r.GetValue(i);
        DateTimeOffset? Time(int i) => r.IsDBNull(i) ? null : SqlTypeHandlers.TimeOf(Value(i));
        return new ReportClockRow
        {
            ClockId = SqlTypeHandlers.IdOf(Value(0)),
            TicketId = SqlTypeHandlers.IdOf(Value(1)),
            TicketNumber = r.GetString(2),
            Kind = Enum.Parse<Ops.Contracts.Tickets.TicketKind>(r.GetString(3), ignoreCase: true),
            Severity = r.GetString(4),
            SiteCode = r.GetString(5),
            System = r.GetString(6),
            Clock = Enum.Parse<Ops.Contracts.Sla.ClockKind>(r.GetString(7), ignoreCase: true),
            ReportedAt = Time(8)!.Value,
            Deadline = Time(9)!.Value,
            State = r.GetString(10),
            BreachedAt = Time(11),
            StoppedAt = Time(12),
        };
    }
}
