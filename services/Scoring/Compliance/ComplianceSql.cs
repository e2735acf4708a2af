using Ops.Hosting.Security;
using Ops.Hosting.Storage;

namespace Ops.Scoring.Compliance;

/// <summary>
/// The SQL of the SLA dashboard: the daily and monthly roll-ups of <c>clock_facts</c> (kept as the facts change, and
/// rebuilt from them on demand), the facts of the part-days at a period's edges, and the exact p90 within
/// its band. The upsert, the index hint and the lock of a clock's row differ between providers.
/// </summary>
internal abstract class ComplianceSql : SqlStatements
{
    public static ComplianceSql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqliteComplianceSql(),
        SqlProvider.Postgres => new PostgresComplianceSql(),
        _ => new SqlServerComplianceSql(),
    };

    /// <summary>The dashboard's filters, within the sites of the caller's scope.</summary>
    protected string Dimensions => $"""
        (@SiteCode IS NULL OR site_code = @SiteCode)
        AND (@System IS NULL OR system = @System)
        AND (@Severity IS NULL OR severity = @Severity)
        AND {Scope.SiteSql(Provider)}
        """;

    protected string Filter => $"contract = @Contract AND reported_at >= @From AND reported_at < @To AND {Dimensions}";

    protected const string KeyColumns = "contract, span, period_start, site_code, system, severity, ticket_kind, clock";

    protected const string KeyValues = "@Contract, @Span, @PeriodStart, @SiteCode, @System, @Severity, @TicketKind, @Clock";

    /// <summary>Counters a statement leaves out are 0 in a new row (the columns' default).</summary>
    protected static string Columns(IEnumerable<string> counters) => string.Join(", ", counters);

    protected static string Values(IEnumerable<string> counters) => string.Join(", ", counters.Select(c => "@" + c));

    public static readonly string[] Counters = ["clocks", "stopped", "stopped_met", "open_breached", "reopened", "elapsed_ms_sum", .. ElapsedBands.Columns];

    /// <summary>What <see cref="ClockFactRow"/> reads of a clock.</summary>
    private const string FactColumns = """
        sequence AS Sequence, contract AS Contract, reported_at AS ReportedAt, site_code AS SiteCode, system AS System,
        severity AS Severity, ticket_kind AS TicketKind, clock AS Clock, state AS State,
        CASE WHEN stopped_at IS NULL THEN 0 ELSE 1 END AS Stopped, elapsed_ms AS ElapsedMs, reopens AS Reopens
        """;

    /// <summary>What is stored of clock <c>@ClockId</c>, read in the transaction that changes it.</summary>
    public virtual string FactsOfClock => $"SELECT {FactColumns} FROM clock_facts WHERE clock_id = @ClockId";

    /// <summary>The facts reported in [@From, @To): the part-days at the edges of a period.</summary>
    public string FactsOfPeriod => $"SELECT {FactColumns} FROM clock_facts WHERE {Filter}";

    public string AllFacts => $"SELECT {FactColumns} FROM clock_facts";

    /// <summary>
    /// The rows of the roll-ups of the whole days or months (<c>@Span</c>) in [@From, @To), each with its site, system,
    /// ticket kind and clock: summed by the dashboard as it needs them. A sum in SQL of every counter made a statement
    /// whose compiling (each sum compared with every other) cost more than reading the rows.
    /// </summary>
    public string RollupRows => $"""
        SELECT site_code, system, ticket_kind, clock, {string.Join(", ", Counters)}
        FROM clock_rollups
        WHERE contract = @Contract AND span = @Span AND period_start >= @From AND period_start < @To AND {Dimensions}
        """;

    /// <summary>The first counter's column in <see cref="RollupRows"/>: after site, system, ticket kind and clock.</summary>
    public const int FirstCounterColumn = 4;

    /// <summary>
    /// Adds to a day's roll-up (negative counts take a clock's share away): the <paramref name="counters"/>
    /// named, from <see cref="Counters"/>, since a clock's change touches few of them.
    /// </summary>
    public abstract string AddToRollup(IReadOnlyCollection<string> counters);

    /// <summary><see cref="AddToRollup"/> with every counter: its longest form, which the T-SQL parser test reads.</summary>
    public string AddWholePeriodToRollup => AddToRollup(Counters);

    public string ClearRollups => "DELETE FROM clock_rollups";

    /// <summary>1 when there are clock facts but no roll-ups of them (a store from before the roll-ups, or restored without them).</summary>
    public string RollupsMissing => """
        SELECT CASE WHEN EXISTS (SELECT 1 FROM clock_facts) AND NOT EXISTS (SELECT 1 FROM clock_rollups) THEN 1 ELSE 0 END
        """;

    /// <summary>
    /// The elapsed time at position <c>@Offset</c>, shortest first (longest first <paramref name="fromTop"/>), among the
    /// filter's stopped <c>@Clock</c> clocks of faults within the band [@BandFrom, @BandTo): a walk of the elapsed-time
    /// index over that band only.
    /// </summary>
    public abstract string ElapsedAtRank(RankWalk walk, bool fromTop = false);

    /// <summary><see cref="ElapsedAtRank"/> over the contract's index and over one month's: forms the T-SQL parser test reads.</summary>
    public string ElapsedAtRankOfContract => ElapsedAtRank(RankWalk.Contract);

    public string ElapsedAtRankOfMonth => ElapsedAtRank(RankWalk.Month);

    public string ElapsedAtRankOfMonthFromTop => ElapsedAtRank(RankWalk.Month, fromTop: true);

    protected static string Order(bool fromTop) => fromTop ? "elapsed_ms DESC" : "elapsed_ms";

    /// <summary>Narrows the walk to the part of the clocks its index leads with: one month, site or system.</summary>
    protected static string Narrowing(RankWalk walk) => walk switch
    {
        RankWalk.Month => "AND report_month = @Month",
        RankWalk.Site => "AND site_code = @SiteCode",
        RankWalk.System => "AND system = @System",
        _ => "",
    };
}

/// <summary>Which elapsed-time index a p90 walks: the contract's, or one month's, site's or system's part of it.</summary>
public enum RankWalk
{
    Contract,
    Month,
    Site,
    System,
}

internal sealed class SqliteComplianceSql : ComplianceSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;

    public override string AddToRollup(IReadOnlyCollection<string> counters) => $"""
        INSERT INTO clock_rollups ({KeyColumns}, {Columns(counters)})
        VALUES ({KeyValues}, {Values(counters)})
        ON CONFLICT ({KeyColumns}) DO UPDATE SET {string.Join(", ", counters.Select(c => $"{c} = {c} + excluded.{c}"))}
        """;

    // Without the hint the planner takes the report-time order and sorts the whole period.
    public override string ElapsedAtRank(RankWalk walk, bool fromTop = false) => $"""
        SELECT elapsed_ms FROM clock_facts INDEXED BY {Index(walk)}
        WHERE contract = @Contract AND ticket_kind = 'fault' AND clock = @Clock {Narrowing(walk)}
            AND elapsed_ms >= @BandFrom AND elapsed_ms < @BandTo
            AND reported_at >= @From AND reported_at < @To AND {Dimensions}
        ORDER BY {Order(fromTop)} LIMIT 1 OFFSET @Offset
        """;

    private static string Index(RankWalk walk) => walk switch
    {
        RankWalk.Month => "ix_clock_facts_month_elapsed",
        RankWalk.Site => "ix_clock_facts_site_elapsed",
        RankWalk.System => "ix_clock_facts_system_elapsed",
        _ => "ix_clock_facts_elapsed",
    };
}

internal sealed class SqlServerComplianceSql : ComplianceSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;

    public override string AddToRollup(IReadOnlyCollection<string> counters) => $"""
        UPDATE clock_rollups WITH (UPDLOCK, SERIALIZABLE)
        SET {string.Join(", ", counters.Select(c => $"{c} = {c} + @{c}"))}
        WHERE contract = @Contract AND span = @Span AND period_start = @PeriodStart AND site_code = @SiteCode AND system = @System
            AND severity = @Severity AND ticket_kind = @TicketKind AND clock = @Clock;
        IF @@ROWCOUNT = 0
            INSERT INTO clock_rollups ({KeyColumns}, {Columns(counters)})
            VALUES ({KeyValues}, {Values(counters)});
        """;

    public override string ElapsedAtRank(RankWalk walk, bool fromTop = false) => $"""
        SELECT elapsed_ms FROM clock_facts
        WHERE contract = @Contract AND ticket_kind = 'fault' AND clock = @Clock AND stopped_at IS NOT NULL {Narrowing(walk)}
            AND elapsed_ms >= @BandFrom AND elapsed_ms < @BandTo
            AND reported_at >= @From AND reported_at < @To AND {Dimensions}
        ORDER BY {Order(fromTop)} OFFSET @Offset ROWS FETCH NEXT 1 ROWS ONLY
        OPTION (RECOMPILE)
        """;
}

internal sealed class PostgresComplianceSql : ComplianceSql
{
    public override SqlProvider Provider => SqlProvider.Postgres;

    /// <summary>
    /// Locks the clock's row until the transaction ends: two instances given the same event take turns, and the second
    /// finds the first one's facts (and moves nothing in the roll-ups twice).
    /// </summary>
    public override string FactsOfClock => base.FactsOfClock + " FOR UPDATE";

    public override string AddToRollup(IReadOnlyCollection<string> counters) => $"""
        INSERT INTO clock_rollups AS r ({KeyColumns}, {Columns(counters)})
        VALUES ({KeyValues}, {Values(counters)})
        ON CONFLICT ({KeyColumns}) DO UPDATE SET {string.Join(", ", counters.Select(c => $"{c} = r.{c} + excluded.{c}"))}
        """;

    // stopped_at IS NOT NULL: the elapsed-time indexes hold the stopped clocks only.
    public override string ElapsedAtRank(RankWalk walk, bool fromTop = false) => $"""
        SELECT elapsed_ms FROM clock_facts
        WHERE contract = @Contract AND ticket_kind = 'fault' AND clock = @Clock AND stopped_at IS NOT NULL {Narrowing(walk)}
            AND elapsed_ms >= @BandFrom AND elapsed_ms < @BandTo
            AND reported_at >= @From AND reported_at < @To AND {Dimensions}
        ORDER BY {Order(fromTop)} LIMIT 1 OFFSET @Offset
        """;
}
