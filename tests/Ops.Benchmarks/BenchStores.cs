using Dapper;
using Microsoft.Data.SqlClient;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Benchmarks;

/// <summary>
/// Where the services of a run keep their data. By default each has its SQLite file in the run's folder.
/// When <see cref="Variable"/> holds a connection string to a SQL Server on which the benchmark may create
/// databases, each service gets a new database of its own there instead (named for the run and the
/// service), and the databases are dropped when the run ends.
/// </summary>
internal sealed class BenchStores : IAsyncDisposable
{
    public const string Variable = "OPS_BENCH_SQLSERVER";

    private readonly string? server;
    private readonly string run;
    private readonly List<string> created = [];

    private BenchStores(string? server, string run)
    {
        this.server = server;
        this.run = run;
    }

    public static BenchStores FromEnvironment(string run) =>
        new(Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } server ? server : null, run);

    public bool OnSqlServer => server is not null;

    public string Describe() => server is null ? "SQLite files" : $"SQL Server {new SqlConnectionStringBuilder(server).DataSource}";

    /// <summary>
    /// The store of <paramref name="service"/> as run by <paramref name="process"/> (before it starts): its SQLite
    /// file in <paramref name="directory"/>, or a new SQL Server database, named for the process, that it is pointed at.
    /// </summary>
    public async Task<Database> ForAsync(ServiceProcess process, string directory, string service)
    {
        if (server is null)
        {
            return Database.ForSqliteFile(Path.Combine(directory, $"{service}.db"));
        }

        var connectionString = await CreateDatabaseAsync(process.Name);
        process.Settings["ConnectionStrings__SqlServer"] = connectionString;
        return new Database(SqlProvider.SqlServer, connectionString);
    }

    /// <summary>A store for the benchmark's own tables (the insert ceiling).</summary>
    public async Task<Database> OwnAsync(string directory, string name) =>
        server is null ? Database.ForSqliteFile(Path.Combine(directory, $"{name}.db")) : new Database(SqlProvider.SqlServer, await CreateDatabaseAsync(name));

    private async Task<string> CreateDatabaseAsync(string service)
    {
        var name = $"ops_bench_{run}_{service}".Replace('-', '_');
        await using (var master = new SqlConnection(server))
        {
            await master.ExecuteAsync(BenchSql.CreateDatabase, new { Name = name });
        }

        created.Add(name);
        return new SqlConnectionStringBuilder(server) { InitialCatalog = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (server is null)
        {
            return;
        }

        SqlConnection.ClearAllPools();
        await using var master = new SqlConnection(server);
        foreach (var name in created)
        {
            await master.ExecuteAsync(BenchSql.DropDatabase, new { Name = name });
        }
    }
}

/// <summary>
/// The benchmark's own statements, written for both stores; the T-SQL parser test reads them. The rows it
/// seeds into a service's store go in with that store's own statements (<see cref="Seeding"/>).
/// </summary>
public abstract class BenchSql : SqlStatements
{
    public static BenchSql For(SqlProvider provider) =>
        provider == SqlProvider.Sqlite ? new SqliteBenchSql() : new SqlServerBenchSql();

    public static string CreateDatabase => """
        DECLARE @create nvarchar(400) = N'CREATE DATABASE ' + QUOTENAME(@Name);
        IF DB_ID(@Name) IS NULL EXEC (@create);
        """;

    public static string DropDatabase => """
        DECLARE @drop nvarchar(800) = N'ALTER DATABASE ' + QUOTENAME(@Name) + N' SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE ' + QUOTENAME(@Name);
        IF DB_ID(@Name) IS NOT NULL EXEC (@drop);
        """;

    public abstract string CreateCeilingTable { get; }

    public static string InsertCeilingRow => "INSERT INTO rows (id, a, b, c, d) VALUES (@Id, @A, @B, @C, @D)";

    public static string ClockCount => "SELECT COUNT(*) FROM clocks";

    public static string TicketsWithBothClocks => "SELECT ticket_id FROM clocks GROUP BY ticket_id HAVING COUNT(*) = 2";

    public static string BreachedClockCount => "SELECT COUNT(*) FROM clocks WHERE breached_at IS NOT NULL";

    public static string BreachDeductions => "SELECT COUNT(*) AS Deductions, COUNT(DISTINCT clock_id) AS Clocks FROM deductions WHERE source = 'breach'";

    public static string LastDeductionInChain => "SELECT COALESCE(MAX(chain_seq), 0) FROM deductions";

    /// <summary>A fault reported by phone, as the tickets service stores it (its phone as rows before encryption held it).</summary>
    public static string InsertTicket => """
        INSERT INTO tickets (id, number, version, contract, kind, severity, status, channel, site_code, system, title,
            description, reporter_name, reporter_phone, reported_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by,
            resolution, reopens, time_resolved_ms, pauses, created_at, updated_at)
        VALUES (@Id, @Number, 1, @Contract, 'fault', @Severity, @Status, 'phone', @SiteCode, @System, @Title,
            NULL, '李女士', @ReporterPhone, @ReportedAt, @AcknowledgedAt, CASE WHEN @AcknowledgedAt IS NULL THEN NULL ELSE '王工' END,
            @ResolvedAt, CASE WHEN @ResolvedAt IS NULL THEN NULL ELSE '王工' END, @Resolution, 0, 0, '[]', @ReportedAt, @ReportedAt)
        """;

    /// <summary>How many clocks each Shanghai month of report holds (two per fault).</summary>
    public static string ClocksByMonth => "SELECT report_month AS Month, COUNT(*) AS Clocks FROM clock_facts GROUP BY report_month";
}

internal sealed class SqliteBenchSql : BenchSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;

    public override string CreateCeilingTable => "CREATE TABLE rows (id TEXT PRIMARY KEY, a TEXT, b TEXT, c INTEGER, d TEXT)";
}

internal sealed class SqlServerBenchSql : BenchSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;

    public override string CreateCeilingTable => "CREATE TABLE rows (id uniqueidentifier PRIMARY KEY, a nvarchar(40), b nvarchar(40), c int, d datetimeoffset)";
}
