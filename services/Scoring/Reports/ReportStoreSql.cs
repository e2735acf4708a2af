using Ops.Hosting.Security;
using Ops.Hosting.Storage;

namespace Ops.Scoring.Reports;

/// <summary>The SQL of the stored reports; what differs between SQLite, SQL Server and PostgreSQL is in the classes below.</summary>
public abstract class ReportStoreSql : SqlStatements
{
    public static ReportStoreSql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqliteReportStoreSql(),
        SqlProvider.Postgres => new PostgresReportStoreSql(),
        _ => new SqlServerReportStoreSql(),
    };

    /// <summary>Everything but the figures and the workbook.</summary>
    protected const string Summary = """
        id AS Id, contract AS Contract, kind AS Kind, period AS Period, site_code AS SiteCode, version AS Version,
        in_progress AS InProgress, period_from AS PeriodFrom, period_to AS PeriodTo, as_of AS AsOf, generated_at AS GeneratedAt,
        generated_by AS GeneratedBy, generated_by_id AS GeneratedById, sha256 AS Sha256, bytes AS Bytes,
        chain_seq AS ChainSeq, prev_hash AS PrevHash, hash AS Hash
        """;

    protected const string OfPeriod = "contract = @Contract AND kind = @Kind AND period = @Period AND site_code = @SiteCode";

    /// <summary>The report was made after its period ended.</summary>
    protected virtual string Closed => "in_progress = 0";

    public string Insert => """
        INSERT INTO reports (id, contract, kind, period, site_code, version, in_progress, period_from, period_to, as_of,
            generated_at, generated_by, generated_by_id, sha256, bytes, figures, workbook, chain_seq, prev_hash, hash)
        VALUES (@Id, @Contract, @Kind, @Period, @SiteCode, @Version, @InProgress, @PeriodFrom, @PeriodTo, @AsOf,
            @GeneratedAt, @GeneratedBy, @GeneratedById, @Sha256, @Bytes, @Figures, @Workbook, @ChainSeq, @PrevHash, @Hash)
        """;

    /// <summary>The newest version of a period's report (of the contract, or of one site).</summary>
    public abstract string Newest { get; }

    /// <summary>The newest version of a period's report that was made after the period ended.</summary>
    public abstract string NewestClosed { get; }

    /// <summary>The periods of a contract that have a whole-contract report made after they ended.</summary>
    public string ClosedWholeContract => $"""
        SELECT DISTINCT kind AS Kind, period AS Period FROM reports
        WHERE contract = @Contract AND site_code = '' AND {Closed}
        """;

    /// <summary>A contract's reports in the caller's scope (a whole-contract report needs the whole contract), newest period first, then newest version.</summary>
    public string List => $"""
        SELECT {Summary} FROM reports
        WHERE contract = @Contract AND (@Kind IS NULL OR kind = @Kind) AND (@SiteCode IS NULL OR site_code = @SiteCode)
            AND {Scope.Sql(Provider)}
        ORDER BY period_to DESC, period_from DESC, site_code, version DESC
        """;

    public string WithFigures => $"SELECT {Summary}, figures AS Figures FROM reports WHERE id = @Id";

    /// <summary>A report's figures alone, to compare with a new build's.</summary>
    public string FiguresOf => "SELECT figures FROM reports WHERE id = @Id";

    public string WithWorkbook => $"SELECT {Summary}, workbook AS Workbook FROM reports WHERE id = @Id";

    /// <summary>The reports whose workbook has this SHA-256, the first made first.</summary>
    public abstract string WithSha256 { get; }

    /// <summary>Every report in the order of its evidence chain, with what the seal covers.</summary>
    public string InChainOrder => $"SELECT {Summary}, figures AS Figures, workbook AS Workbook FROM reports ORDER BY chain_seq";
}

internal sealed class SqliteReportStoreSql : ReportStoreSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;

    public override string Newest => $"SELECT {Summary} FROM reports WHERE {OfPeriod} ORDER BY version DESC LIMIT 1";

    public override string NewestClosed => $"SELECT {Summary} FROM reports WHERE {OfPeriod} AND {Closed} ORDER BY version DESC LIMIT 1";

    public override string WithSha256 => $"SELECT {Summary} FROM reports WHERE sha256 = @Sha256 ORDER BY generated_at, version";
}

internal sealed class SqlServerReportStoreSql : ReportStoreSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;

    public override string Newest => $"SELECT TOP (1) {Summary} FROM reports WHERE {OfPeriod} ORDER BY version DESC";

    public override string NewestClosed => $"SELECT TOP (1) {Summary} FROM reports WHERE {OfPeriod} AND {Closed} ORDER BY version DESC";

    /// <summary>The parameter as the column's type, so the index is sought, not scanned.</summary>
    public override string WithSha256 => $"SELECT {Summary} FROM reports WHERE sha256 = CAST(@Sha256 AS char(64)) ORDER BY generated_at, version";
}

internal sealed class PostgresReportStoreSql : ReportStoreSql
{
    public override SqlProvider Provider => SqlProvider.Postgres;

    protected override string Closed => "NOT in_progress";

    public override string Newest => $"SELECT {Summary} FROM reports WHERE {OfPeriod} ORDER BY version DESC LIMIT 1";

    public override string NewestClosed => $"SELECT {Summary} FROM reports WHERE {OfPeriod} AND {Closed} ORDER BY version DESC LIMIT 1";

    /// <summary>The parameter as the column's type, so the index is sought, not scanned.</summary>
    public override string WithSha256 => $"SELECT {Summary} FROM reports WHERE sha256 = CAST(@Sha256 AS char(64)) ORDER BY generated_at, version";
}
