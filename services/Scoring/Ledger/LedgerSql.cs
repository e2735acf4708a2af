using Ops.Hosting.Storage;

namespace Ops.Scoring.Ledger;

/// <summary>The SQL of the deduction ledger and the clock facts it is derived from; what differs between SQLite, SQL Server and PostgreSQL is in the classes below.</summary>
public abstract class LedgerSql : SqlStatements
{
    public static LedgerSql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqliteLedgerSql(),
        SqlProvider.Postgres => new PostgresLedgerSql(),
        _ => new SqlServerLedgerSql(),
    };

    protected const string Columns = """
        entry_no AS EntryNo, id AS Id, contract AS Contract, item AS Item, points_hundredths AS PointsHundredths,
        source AS Source, reason AS Reason, clock_id AS ClockId, ticket_id AS TicketId, ticket_number AS TicketNumber,
        clock AS Clock, deadline AS Deadline, breached_at AS BreachedAt, compensates AS Compensates,
        occurred_at AS OccurredAt, recorded_at AS RecordedAt, recorded_by AS RecordedBy, recorded_by_id AS RecordedById,
        chain_seq AS ChainSeq, prev_hash AS PrevHash, hash AS Hash
        """;

    /// <summary>Stores a clock heard of for the first time: one row, or (PostgreSQL) none when another instance stored it meanwhile.</summary>
    public virtual string InsertClockFacts => """
        INSERT INTO clock_facts (clock_id, sequence, ticket_id, ticket_number, contract, clock, ticket_kind, severity, site_code,
            system, reported_at, report_month, target_seconds, started_at, deadline, state, breached_at, stopped_at, elapsed_ms, reopens)
        VALUES (@ClockId, @Sequence, @TicketId, @TicketNumber, @Contract, @Clock, @TicketKind, @Severity, @SiteCode,
            @System, @ReportedAt, @ReportMonth, @TargetSeconds, @StartedAt, @Deadline, @State, @BreachedAt, @StoppedAt, @ElapsedMs, @Reopens)
        """;

    public string UpdateClockFacts => """
        UPDATE clock_facts SET sequence = @Sequence, severity = @Severity, target_seconds = @TargetSeconds,
            deadline = @Deadline, state = @State, breached_at = @BreachedAt, stopped_at = @StoppedAt, elapsed_ms = @ElapsedMs,
            reopens = @Reopens
        WHERE clock_id = @ClockId
        """;

    /// <summary>
    /// The breach entry of one breach of clock <c>@ClockId</c>: the one at <c>@BreachedAt</c>, whether or not it was taken
    /// back; else the clock's newest breach when it has the same <c>@Deadline</c> and no retraction took it back (a timer
    /// restored from a backup breaches the clock again, later; an older or retracted breach of an equal deadline is another).
    /// </summary>
    public string BreachOfEpisode => $"""
        SELECT {Columns} FROM deductions
        WHERE entry_no = COALESCE(
            (SELECT MIN(entry_no) FROM deductions
                WHERE clock_id = @ClockId AND source = 'breach'
                    AND (breached_at = @BreachedAt OR (breached_at IS NULL AND @BreachedAt IS NULL))),
            (SELECT newest.entry_no FROM deductions newest
                WHERE newest.entry_no = (SELECT MAX(entry_no) FROM deductions WHERE clock_id = @ClockId AND source = 'breach')
                    AND newest.deadline = @Deadline
                    AND NOT EXISTS (SELECT 1 FROM deductions taken WHERE taken.compensates = newest.id AND taken.source = 'retraction')))
        """;

    /// <summary>The breach entries of clock <c>@ClockId</c> that nothing took back yet, in ledger order.</summary>
    public string LiveBreachesOfClock => $"""
        SELECT {Columns} FROM deductions
        WHERE clock_id = @ClockId AND source = 'breach' AND NOT EXISTS (SELECT 1 FROM deductions taken WHERE taken.compensates = deductions.id)
        ORDER BY entry_no
        """;

    public string Entry => $"SELECT {Columns} FROM deductions WHERE id = @Id";

    /// <summary>The entries that take back <c>@Id</c> (a retraction or a waiver).</summary>
    public string Compensations => $"SELECT {Columns} FROM deductions WHERE compensates = @Id";

    public string Insert => """
        INSERT INTO deductions (id, contract, item, points_hundredths, source, reason, clock_id, ticket_id, ticket_number,
            clock, deadline, breached_at, compensates, occurred_at, recorded_at, recorded_by, recorded_by_id, chain_seq, prev_hash, hash)
        VALUES (@Id, @Contract, @Item, @PointsHundredths, @Source, @Reason, @ClockId, @TicketId, @TicketNumber,
            @Clock, @Deadline, @BreachedAt, @Compensates, @OccurredAt, @RecordedAt, @RecordedBy, @RecordedById, @ChainSeq, @PrevHash, @Hash)
        """;

    /// <summary>Every ledger entry in the order of its evidence chain.</summary>
    public string LedgerInChainOrder => $"SELECT {Columns} FROM deductions ORDER BY chain_seq";

    /// <summary>
    /// Each item's sum and entries in [@From, @To): the whole Shanghai days [@DaysFrom, @DaysTo) from their day totals
    /// (kept by a trigger as entries are written), the part-days at the edges from the entries; see <see cref="PeriodParameters"/>.
    /// </summary>
    public string ItemTotals => $"""
        SELECT item AS Item, {Sum("hundredths")} AS Hundredths, {Sum("entries")} AS Entries
        FROM (
            SELECT item, hundredths, entries FROM deduction_day_totals
            WHERE contract = @Contract AND day_start >= @DaysFrom AND day_start < @DaysTo
            UNION ALL
            SELECT item, points_hundredths, 1 FROM deductions
            WHERE contract = @Contract AND occurred_at >= @From AND occurred_at < @DaysFrom
            UNION ALL
            SELECT item, points_hundredths, 1 FROM deductions
            WHERE contract = @Contract AND occurred_at >= @DaysTo AND occurred_at < @To
        ) AS totals
        GROUP BY item
        """;

    /// <summary>The sum of a whole-number column, as a whole number.</summary>
    protected virtual string Sum(string column) => $"SUM({column})";

    /// <summary>The parameters of <see cref="ItemTotals"/>: the period and its whole Shanghai days (none when it lies within one day).</summary>
    public static object PeriodParameters(string contract, DateTimeOffset from, DateTimeOffset to)
    {
        var daysFrom = Compliance.ShanghaiCalendar.DayStartOnOrAfter(from);
        var daysTo = Compliance.ShanghaiCalendar.DayStartOf(to);
        return daysFrom < daysTo
            ? new { Contract = contract, From = from, To = to, DaysFrom = daysFrom, DaysTo = daysTo }
            : new { Contract = contract, From = from, To = to, DaysFrom = to, DaysTo = to };
    }

    /// <summary>
    /// The newest <c>@PerItem</c> entries of item <c>@Item</c> in the period, newest first: a walk down the
    /// (contract, item, entry_no) index that stops after <c>@PerItem</c> rows, however long the ledger.
    /// </summary>
    public abstract string EvidenceOfItem { get; }

    /// <summary>The ledger list's filters; one left out (null) matches everything.</summary>
    protected const string LedgerFilter = """
        contract = @Contract
        AND (@Item IS NULL OR item = @Item)
        AND (@Source IS NULL OR source = @Source)
        AND (@From IS NULL OR occurred_at >= @From)
        AND (@To IS NULL OR occurred_at < @To)
        """;

    /// <summary>An export's row: the entry an entry takes back is named by its number.</summary>
    protected const string LineColumns = """
        entry_no AS EntryNo, item AS Item, points_hundredths AS PointsHundredths, source AS Source, reason AS Reason,
        ticket_number AS TicketNumber, clock AS Clock, deadline AS Deadline, breached_at AS BreachedAt,
        (SELECT taken.entry_no FROM deductions taken WHERE taken.id = deductions.compensates) AS CompensatesEntryNo,
        occurred_at AS OccurredAt, recorded_at AS RecordedAt, recorded_by AS RecordedBy
        """;

    /// <summary>The ledger list's filters as this store reads them.</summary>
    protected virtual string Filter => LedgerFilter;

    /// <summary>Up to <c>@Limit</c> entries of the filter after entry <c>@After</c>, in ledger order (keyset paging on entry_no).</summary>
    public virtual string LedgerPage => $"""
        SELECT {Columns} FROM deductions
        WHERE {Filter} AND entry_no > @After
        ORDER BY entry_no LIMIT @Limit
        """;

    /// <summary>Every entry of the filter in ledger order, for an export read row by row.</summary>
    public virtual string LedgerExport => $"""
        SELECT {LineColumns} FROM deductions
        WHERE {Filter}
        ORDER BY entry_no
        """;
}

internal sealed class SqliteLedgerSql : LedgerSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;

    /// <summary>The <c>+</c> keeps the planner off the period index, which would sort the whole period first.</summary>
    public override string EvidenceOfItem => $"""
        SELECT {Columns} FROM deductions
        WHERE contract = @Contract AND item = @Item AND +occurred_at >= @From AND +occurred_at < @To
        ORDER BY entry_no DESC LIMIT @PerItem
        """;
}

internal sealed class SqlServerLedgerSql : LedgerSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;

    public override string EvidenceOfItem => $"""
        SELECT TOP (@PerItem) {Columns} FROM deductions
        WHERE contract = @Contract AND item = @Item AND occurred_at >= @From AND occurred_at < @To
        ORDER BY entry_no DESC
        """;

    public override string LedgerPage => $"""
        SELECT TOP (@Limit) {Columns} FROM deductions
        WHERE {LedgerFilter} AND entry_no > @After
        ORDER BY entry_no
        OPTION (RECOMPILE)
        """;

    public override string LedgerExport => $"""
        SELECT {LineColumns} FROM deductions
        WHERE {LedgerFilter}
        ORDER BY entry_no
        OPTION (RECOMPILE)
        """;
}

internal sealed class PostgresLedgerSql : LedgerSql
{
    public override SqlProvider Provider => SqlProvider.Postgres;

    /// <summary>A second instance given the same new clock waits for the first one's insert, then inserts nothing.</summary>
    public override string InsertClockFacts => base.InsertClockFacts + " ON CONFLICT (clock_id) DO NOTHING";

    // PostgreSQL's sum of bigint is a numeric.
    protected override string Sum(string column) => $"CAST(SUM({column}) AS bigint)";

    public override string EvidenceOfItem => $"""
        SELECT {Columns} FROM deductions
        WHERE contract = @Contract AND item = @Item AND occurred_at >= @From AND occurred_at < @To
        ORDER BY entry_no DESC LIMIT @PerItem
        """;

    /// <summary>
    /// <see cref="LedgerSql.LedgerFilter"/> with its times' type named where they are first read: a time left out comes
    /// without a type, and PostgreSQL, reading <c>@From IS NULL</c> first, could not tell it.
    /// </summary>
    protected override string Filter => """
        contract = @Contract
        AND (@Item IS NULL OR item = @Item)
        AND (@Source IS NULL OR source = @Source)
        AND (CAST(@From AS timestamptz) IS NULL OR occurred_at >= @From)
        AND (CAST(@To AS timestamptz) IS NULL OR occurred_at < @To)
        """;
}
