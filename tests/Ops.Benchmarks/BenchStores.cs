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

/// <summary>The benchmark's own statements, written for both stores; the T-SQL parser test reads them.</summary>
public sealed class BenchSql(SqlProvider provider) : SqlStatements
{
    public override SqlProvider Provider => provider;

    public static string CreateDatabase => """
        DECLARE @create nvarchar(400) = N'CREATE DATABASE ' + QUOTENAME(@Name);
        IF DB_ID(@Name) IS NULL EXEC (@create);
        """;

    public static string DropDatabase => """
        DECLARE @drop nvarchar(800) = N'ALTER DATABASE ' + QUOTENAME(@Name) + N' SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE ' + QUOTENAME(@Name);
        IF DB_ID(@Name) IS NOT NULL EXEC (@drop);
        """;

    public string CreateCeilingTable => provider == SqlProvider.Sqlite
        ? "CREATE TABLE rows (id TEXT PRIMARY KEY, a TEXT, b TEXT, c INTEGER, d TEXT)"
        : "CREATE TABLE rows (id uniqueidentifier PRIMARY KEY, a nvarchar(40), b nvarchar(40), c int, d datetimeoffset)";

    public static string InsertCeilingRow => "INSERT INTO rows (id, a, b, c, d) VALUES (@Id, @A, @B, @C, @D)";

    public static string ClockCount => "SELECT COUNT(*) FROM clocks";

    public static string TicketsWithBothClocks => "SELECT ticket_id FROM clocks GROUP BY ticket_id HAVING COUNT(*) = 2";

    public static string InsertRunningClock => """
        INSERT INTO clocks (id, ticket_id, clock, sequence, ticket_number, contract, ticket_kind, severity, site_code, system,
            reported_at, target_seconds, started_at, deadline, state, breached_at, stopped_at, excluded_ms, reopens, grade, calendar,
            warned_percent, next_warning_at)
        VALUES (@Id, @TicketId, 'response', 1, @Number, 'OTQ-2026-OPS', 'fault', 'general', 'OTQ', @System,
            @ReportedAt, 1800, @ReportedAt, @Deadline, 'running', NULL, NULL, 0, 0, NULL, 'continuous', 80, NULL)
        """;

    public static string LastDeductionInChain => "SELECT COALESCE(MAX(chain_seq), 0) FROM deductions";

    public static string InsertClockFact => """
        INSERT INTO clock_facts (clock_id, sequence, ticket_id, ticket_number, contract, clock, ticket_kind, severity, site_code, system,
            reported_at, target_seconds, started_at, deadline, state, breached_at, stopped_at, elapsed_ms, reopens)
        VALUES (@ClockId, 3, @TicketId, @Number, 'OTQ-2026-OPS', @Clock, 'fault', @Severity, @SiteCode, @System,
            @Reported, @Target, @Reported, @Deadline, @State, @Breached, @Stopped, @Elapsed, 0)
        """;

    public static string InsertBreachDeduction => """
        INSERT INTO deductions (id, contract, item, points_hundredths, source, reason, clock_id, ticket_id, ticket_number, clock, deadline,
            breached_at, compensates, occurred_at, recorded_at, recorded_by, chain_seq, prev_hash, hash)
        VALUES (@Id, 'OTQ-2026-OPS', 6, @Points, 'breach', 'benchmark', @ClockId, @TicketId, @Number, @Clock, @Deadline,
            @Breached, NULL, @Deadline, @Breached, 'benchmark', @Chain, @Hash, @Hash)
        """;
}
