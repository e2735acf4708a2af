using Ops.Hosting.Security;
using Ops.Hosting.Storage;

namespace Ops.SlaTimer.Storage;

/// <summary>The SQL of <see cref="ClockStore"/>; what differs between SQLite, SQL Server and PostgreSQL is in the classes below.</summary>
public abstract class ClockSql : SqlStatements
{
    public static ClockSql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqliteClockSql(),
        SqlProvider.SqlServer => new SqlServerClockSql(),
        SqlProvider.Postgres => new PostgresClockSql(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    protected const string Columns = """
        id AS Id, ticket_id AS TicketId, clock AS Clock, sequence AS Sequence, ticket_number AS TicketNumber,
        contract AS Contract, ticket_kind AS TicketKind, severity AS StoredSeverity, site_code AS SiteCode, system AS System,
        reported_at AS ReportedAt, target_seconds AS TargetSeconds, started_at AS StartedAt, deadline AS Deadline,
        state AS State, breached_at AS BreachedAt, stopped_at AS StoppedAt, excluded_ms AS ExcludedMs, reopens AS Reopens,
        grade AS Grade, calendar AS Calendar, warned_percent AS WarnedPercent, next_warning_at AS NextWarningAt
        """;

    protected const string OutcomeColumns = """
        chain_seq AS ChainSeq, clock_id AS ClockId, sequence AS Sequence, ticket_id AS TicketId, ticket_number AS TicketNumber,
        clock AS Clock, outcome AS Outcome, deadline AS Deadline, occurred_at AS OccurredAt, prev_hash AS PrevHash, hash AS Hash
        """;

    public string InsertOutcome => """
        INSERT INTO clock_outcomes (chain_seq, clock_id, sequence, ticket_id, ticket_number, clock, outcome, deadline, occurred_at, prev_hash, hash)
        VALUES (@ChainSeq, @ClockId, @Sequence, @TicketId, @TicketNumber, @Clock, @Outcome, @Deadline, @OccurredAt, @PrevHash, @Hash)
        """;

    /// <summary>A contract's clocks of tickets reported in [@From, @To), first reported first, for the yearly archive read row by row.</summary>
    public string OfYear => $"SELECT {Columns} FROM clocks WHERE contract = @Contract AND reported_at >= @From AND reported_at < @To ORDER BY reported_at, ticket_id, clock DESC, sequence";

    /// <summary>Every clock outcome in the order of its evidence chain.</summary>
    public string OutcomesInChainOrder => $"SELECT {OutcomeColumns} FROM clock_outcomes ORDER BY chain_seq";

    public string TicketVersion => "SELECT version FROM ticket_versions WHERE ticket_id = @TicketId";

    public string InsertTicketVersion => "INSERT INTO ticket_versions (ticket_id, version, title) VALUES (@TicketId, @Version, @Title)";

    public string SetTicketTitle => "UPDATE ticket_versions SET title = @Title WHERE ticket_id = @TicketId";

    public string NoticeFacts => """
        SELECT c.stopped_at AS StoppedAt, v.title AS Title
        FROM clocks c LEFT JOIN ticket_versions v ON v.ticket_id = c.ticket_id
        WHERE c.id = @Id
        """;

    /// <summary>The clocks not stopped of a contract's tickets (running, breached and still open, or paused), earliest deadline first.</summary>
    public abstract string OpenClocks { get; }

    protected const string OpenClockColumns = """
        c.ticket_number AS TicketNumber, v.title AS Title, c.clock AS Clock, c.state AS State, c.deadline AS Deadline
        FROM clocks c LEFT JOIN ticket_versions v ON v.ticket_id = c.ticket_id
        WHERE c.contract = @Contract AND c.stopped_at IS NULL
        ORDER BY c.deadline, c.id
        """;

    public string UpdateTicketVersion => "UPDATE ticket_versions SET version = @Version WHERE ticket_id = @TicketId";

    /// <summary>
    /// The running clocks of each kind, for the metrics (<c>ClockMetrics</c>): counted at start and now and then, not at
    /// every read. One row of counts, not a <c>GROUP BY</c>, which SQLite answers by sorting every running clock first.
    /// </summary>
    public string RunningByClock => """
        SELECT COUNT(CASE WHEN clock = 'response' THEN 1 END) AS Response, COUNT(CASE WHEN clock = 'repair' THEN 1 END) AS Repair,
            COUNT(CASE WHEN clock = 'completion' THEN 1 END) AS Completion
        FROM clocks WHERE state = 'running'
        """;

    public string OfTicket => $"SELECT {Columns} FROM clocks WHERE ticket_id = @TicketId ORDER BY clock DESC";

    public string OfTicketNumber => $"SELECT {Columns} FROM clocks WHERE ticket_number = @TicketNumber ORDER BY clock DESC";

    public string Insert => """
        INSERT INTO clocks (id, ticket_id, clock, sequence, ticket_number, contract, ticket_kind, severity, site_code, system,
            reported_at, target_seconds, started_at, deadline, state, breached_at, stopped_at, excluded_ms, reopens, grade, calendar,
            warned_percent, next_warning_at)
        VALUES (@Id, @TicketId, @Clock, @Sequence, @TicketNumber, @Contract, @TicketKind, @Severity, @SiteCode, @System,
            @ReportedAt, @TargetSeconds, @StartedAt, @Deadline, @State, @BreachedAt, @StoppedAt, @ExcludedMs, @Reopens, @Grade, @Calendar,
            @WarnedPercent, @NextWarningAt)
        """;

    /// <summary>Optimistic: the scanner may have breached the clock meanwhile, in which case the change is retried.</summary>
    public string Update => """
        UPDATE clocks SET sequence = @Sequence, severity = @Severity, target_seconds = @TargetSeconds, deadline = @Deadline,
            state = @State, breached_at = @BreachedAt, stopped_at = @StoppedAt, excluded_ms = @ExcludedMs, reopens = @Reopens,
            warned_percent = @WarnedPercent, next_warning_at = @NextWarningAt
        WHERE id = @Id AND sequence = @PreviousSequence
        """;

    /// <summary>The earliest deadline or warning point of a running clock: when the scanner must look next.</summary>
    public string NextDue => """
        SELECT MIN(due) FROM (
            SELECT MIN(deadline) AS due FROM clocks WHERE state = 'running'
            UNION ALL
            SELECT MIN(next_warning_at) FROM clocks WHERE state = 'running' AND next_warning_at IS NOT NULL) AS moments
        """;

    /// <summary>Running clocks that have reached their next warning point.</summary>
    public abstract string WarningDue { get; }

    /// <summary>Breaches, in one statement, the running clocks whose deadline is before <c>@Now</c>, and returns them.</summary>
    public abstract string BreachDue { get; }

    /// <summary>A page of the clocks that match <paramref name="where"/>, earliest deadline first.</summary>
    protected abstract string Paged(string where);

    public string Page => Paged(ListFilter);

    public string Count => $"SELECT COUNT(*) FROM clocks WHERE {ListFilter}";

    /// <summary>The tickets still overdue (breached, not yet stopped): the literal terms let the partial index serve it.</summary>
    public string OpenBreachPage => Paged(OpenBreachFilter);

    public string OpenBreachCount => $"SELECT COUNT(*) FROM clocks WHERE {OpenBreachFilter}";

    private string OpenBreachFilter => $"""
        state = 'breached' AND stopped_at IS NULL AND ({Unset("@DueBefore", "timestamptz")} OR deadline <= @DueBefore)
            AND ({Unset("@Contract")} OR contract = @Contract) AND ({Unset("@SiteCode")} OR site_code = @SiteCode) AND ({Unset("@System")} OR system = @System)
            AND ({Unset("@Severity")} OR severity = @Severity) AND {Scope.Sql(Provider)}
        """;

    /// <summary>True when the filter <paramref name="parameter"/> (of SQL type <paramref name="type"/>) is not given.</summary>
    protected virtual string Unset(string parameter, string type = "text") => $"{parameter} IS NULL";

    /// <summary>The filters of a clock list (<see cref="ClockFilter"/>), within the caller's scope.</summary>
    protected string ListFilter => $"""
        ({Unset("@State")} OR state = @State) AND ({Unset("@DueBefore", "timestamptz")} OR deadline <= @DueBefore) AND (@Open = 0 OR stopped_at IS NULL)
            AND ({Unset("@Contract")} OR contract = @Contract) AND ({Unset("@SiteCode")} OR site_code = @SiteCode) AND ({Unset("@System")} OR system = @System)
            AND ({Unset("@Severity")} OR severity = @Severity) AND {Scope.Sql(Provider)}
        """;
}

internal sealed class SqliteClockSql : ClockSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;

    public override string OpenClocks => $"SELECT {OpenClockColumns} LIMIT @Limit";

    public override string WarningDue => $"""
        SELECT {Columns} FROM clocks
        WHERE state = 'running' AND next_warning_at IS NOT NULL AND next_warning_at <= @Now
        ORDER BY next_warning_at LIMIT @Limit
        """;

    public override string BreachDue => $"""
        UPDATE clocks SET state = 'breached', breached_at = @Now, sequence = sequence + 1
        WHERE id IN (SELECT id FROM clocks WHERE state = 'running' AND deadline < @Now ORDER BY deadline LIMIT @Limit)
        RETURNING {Columns}
        """;

    protected override string Paged(string where) => $"""
        SELECT {Columns} FROM clocks
        WHERE {where}
        ORDER BY deadline, id LIMIT @Limit OFFSET @Offset
        """;
}

internal sealed class SqlServerClockSql : ClockSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;

    public override string OpenClocks => $"SELECT TOP (@Limit) {OpenClockColumns}";

    /// <summary>Several sla-timer instances never warn for the same clock at once: each skips rows another has locked.</summary>
    public override string WarningDue => $"""
        SELECT TOP (@Limit) {Columns} FROM clocks WITH (UPDLOCK, READPAST, ROWLOCK)
        WHERE state = 'running' AND next_warning_at IS NOT NULL AND next_warning_at <= @Now
        ORDER BY next_warning_at
        """;

    /// <summary>Several sla-timer instances never claim the same clock: each skips rows another has locked.</summary>
    public override string BreachDue => $"""
        WITH due AS (
            SELECT TOP (@Limit) * FROM clocks WITH (UPDLOCK, READPAST, ROWLOCK)
            WHERE state = 'running' AND deadline < @Now ORDER BY deadline)
        UPDATE due SET state = 'breached', breached_at = @Now, sequence = sequence + 1
        OUTPUT {Qualified(Columns, "inserted")};
        """;

    protected override string Paged(string where) => $"""
        SELECT {Columns} FROM clocks
        WHERE {where}
        ORDER BY deadline, id OFFSET @Offset ROWS FETCH NEXT @Limit ROWS ONLY
        OPTION (RECOMPILE)
        """;
}

internal sealed class PostgresClockSql : ClockSql
{
    public override SqlProvider Provider => SqlProvider.Postgres;

    // A null may reach PostgreSQL untyped (a null time always does), and IS NULL alone does not type it.
    protected override string Unset(string parameter, string type = "text") => $"CAST({parameter} AS {type}) IS NULL";

    public override string OpenClocks => $"SELECT {OpenClockColumns} LIMIT @Limit";

    /// <summary>Several sla-timer instances never warn for the same clock at once: each skips rows another has locked.</summary>
    public override string WarningDue => $"""
        SELECT {Columns} FROM clocks
        WHERE state = 'running' AND next_warning_at IS NOT NULL AND next_warning_at <= @Now
        ORDER BY next_warning_at LIMIT @Limit
        FOR UPDATE SKIP LOCKED
        """;

    /// <summary>
    /// Several sla-timer instances never claim the same clock: each skips rows another has locked. A clock another
    /// breached meanwhile is read again as it is now and no longer matches.
    /// </summary>
    public override string BreachDue => $"""
        UPDATE clocks SET state = 'breached', breached_at = @Now, sequence = sequence + 1
        WHERE id IN (
            SELECT id FROM clocks WHERE state = 'running' AND deadline < @Now ORDER BY deadline LIMIT @Limit
            FOR UPDATE SKIP LOCKED)
        RETURNING {Columns}
        """;

    protected override string Paged(string where) => $"""
        SELECT {Columns} FROM clocks
        WHERE {where}
        ORDER BY deadline, id LIMIT @Limit OFFSET @Offset
        """;
}
