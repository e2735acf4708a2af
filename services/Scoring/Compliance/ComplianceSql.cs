using Ops.Hosting.Storage;

namespace Ops.Scoring.Compliance;

/// <summary>The SQL of the SLA dashboard over <c>clock_facts</c>; only the paging of the percentile differs between providers.</summary>
internal abstract class ComplianceSql : SqlStatements
{
    public static ComplianceSql For(SqlProvider provider) =>
        provider == SqlProvider.Sqlite ? new SqliteComplianceSql() : new SqlServerComplianceSql();

    protected const string Filter = """
        contract = @Contract AND reported_at >= @From AND reported_at < @To
        AND (@SiteCode IS NULL OR site_code = @SiteCode)
        AND (@System IS NULL OR system = @System)
        AND (@Severity IS NULL OR severity = @Severity)
        """;

    /// <summary>Faults and service requests of the period in one pass over its clock facts.</summary>
    public string Summary => $"""
        SELECT
            COALESCE(SUM(CASE WHEN {Fault} AND clock = 'response' THEN 1 ELSE 0 END), 0) AS Faults,
            COALESCE(SUM(CASE WHEN {Fault} AND clock = 'response' AND stopped_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS Responded,
            COALESCE(SUM(CASE WHEN {Fault} AND clock = 'response' AND stopped_at IS NOT NULL AND state = 'met' THEN 1 ELSE 0 END), 0) AS RespondedOnTime,
            COALESCE(SUM(CASE WHEN {Fault} AND clock = 'response' AND stopped_at IS NULL AND state = 'breached' THEN 1 ELSE 0 END), 0) AS ResponseOpenBreaches,
            COALESCE(SUM(CASE WHEN {Fault} AND clock = 'repair' AND stopped_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS Repaired,
            COALESCE(SUM(CASE WHEN {Fault} AND clock = 'repair' AND stopped_at IS NOT NULL AND state = 'met' THEN 1 ELSE 0 END), 0) AS RepairedOnTime,
            COALESCE(SUM(CASE WHEN {Fault} AND clock = 'repair' AND stopped_at IS NULL AND state = 'breached' THEN 1 ELSE 0 END), 0) AS RepairOpenBreaches,
            COALESCE(SUM(CASE WHEN {Fault} AND clock = 'repair' AND reopens > 0 THEN 1 ELSE 0 END), 0) AS Reopened,
            AVG(CASE WHEN {Fault} AND clock = 'response' AND stopped_at IS NOT NULL THEN CAST(elapsed_ms AS FLOAT) END) AS MeanAcknowledgeMs,
            AVG(CASE WHEN {Fault} AND clock = 'repair' AND stopped_at IS NOT NULL THEN CAST(elapsed_ms AS FLOAT) END) AS MeanRepairMs,
            COALESCE(SUM(CASE WHEN clock = 'completion' THEN 1 ELSE 0 END), 0) AS Requests,
            COALESCE(SUM(CASE WHEN clock = 'completion' AND stopped_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS Completed,
            COALESCE(SUM(CASE WHEN clock = 'completion' AND stopped_at IS NOT NULL AND state = 'met' THEN 1 ELSE 0 END), 0) AS CompletedOnTime,
            COALESCE(SUM(CASE WHEN clock = 'completion' AND stopped_at IS NULL AND state = 'breached' THEN 1 ELSE 0 END), 0) AS CompletionOpenBreaches
        FROM clock_facts WHERE {Filter}
        """;

    private const string Fault = "ticket_kind = 'fault'";

    /// <summary>The elapsed time at position <c>@Offset</c> among the stopped <c>@Clock</c> clocks, shortest first.</summary>
    public abstract string ElapsedAtRank { get; }
}

internal sealed class SqliteComplianceSql : ComplianceSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;

    public override string ElapsedAtRank => $"""
        SELECT elapsed_ms FROM clock_facts
        WHERE {Filter} AND ticket_kind = 'fault' AND clock = @Clock AND stopped_at IS NOT NULL
        ORDER BY elapsed_ms LIMIT 1 OFFSET @Offset
        """;
}

internal sealed class SqlServerComplianceSql : ComplianceSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;

    public override string ElapsedAtRank => $"""
        SELECT elapsed_ms FROM clock_facts
        WHERE {Filter} AND ticket_kind = 'fault' AND clock = @Clock AND stopped_at IS NOT NULL
        ORDER BY elapsed_ms OFFSET @Offset ROWS FETCH NEXT 1 ROWS ONLY
        OPTION (RECOMPILE)
        """;
}
