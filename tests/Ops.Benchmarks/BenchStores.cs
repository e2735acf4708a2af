using Dapper;
using Microsoft.Data.SqlClient;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Benchmarks;

/// <summary>
/// Where the services of a run keep their data. By default each has its SQLite file in the run's folder. With
/// <c>--database postgres</c> each service gets a new database of its own in the PostgreSQL cluster that
/// ./deploy/bench.sh started (OPS_POSTGRES_PORT, OPS_POSTGRES_DIR); when <see cref="SqlServerVariable"/> holds a
/// connection string to a SQL Server on which the benchmark may create databases, a new database there. Either
/// way the databases are named for the run and the service, the instances of a service share theirs
/// (<see cref="ServiceProcess.ShareStoreOf"/>), and they are dropped when the run ends.
/// </summary>
internal sealed class BenchStores : IAsyncDisposable
{
    public const string SqlServerVariable = "OPS_BENCH_SQLSERVER";

    private readonly string? sqlServer;
    private readonly string run;
    private readonly List<string> created = [];

    private BenchStores(SqlProvider provider, string? sqlServer, string run)
    {
        Provider = provider;
        this.sqlServer = sqlServer;
        this.run = run.Replace('-', '_');
    }

    /// <summary>The store <c>--database sqlite|postgres</c> names; without it, SQL Server when <see cref="SqlServerVariable"/> is set, else SQLite.</summary>
    public static BenchStores From(string? database, string run) => database switch
    {
        "postgres" => new(SqlProvider.Postgres, null, run),
        null when Environment.GetEnvironmentVariable(SqlServerVariable) is { Length: > 0 } server => new(SqlProvider.SqlServer, server, run),
        _ => new(SqlProvider.Sqlite, null, run),
    };

    public SqlProvider Provider { get; }

    /// <summary>The store's name in the figures: sqlite, postgres or sqlserver.</summary>
    public string Name => Provider.ToString().ToLowerInvariant();

    /// <summary>The store's own name: SQLite, PostgreSQL or SQL Server.</summary>
    public string Product => Provider switch
    {
        SqlProvider.Sqlite => "SQLite",
        SqlProvider.Postgres => "PostgreSQL",
        _ => "SQL Server",
    };

    public string Describe() => Provider switch
    {
        SqlProvider.Sqlite => "SQLite files",
        SqlProvider.Postgres => $"PostgreSQL on 127.0.0.1:{PostgresServer.Port}",
        _ => $"SQL Server {new SqlConnectionStringBuilder(sqlServer).DataSource}",
    };

    /// <summary>
    /// The store of <paramref name="service"/> as run by <paramref name="process"/> (before it starts): its SQLite
    /// file in <paramref name="directory"/>, or a new server database, named for the process, that it is pointed at.
    /// </summary>
    public async Task<Database> ForAsync(ServiceProcess process, string directory, string service)
    {
        var store = await OwnAsync(directory, service, process.Name);
        if (Provider != SqlProvider.Sqlite)
        {
            process.Settings[$"ConnectionStrings__{Provider}"] = store.ConnectionString;
        }

        return store.Database;
    }

    /// <summary>A store for the benchmark's own tables (the insert ceiling).</summary>
    public async Task<Database> OwnAsync(string directory, string name) => (await OwnAsync(directory, name, name)).Database;

    private async Task<(Database Database, string ConnectionString)> OwnAsync(string directory, string file, string name)
    {
        var connectionString = Provider switch
        {
            SqlProvider.Sqlite => null,
            SqlProvider.Postgres => await CreatePostgresDatabaseAsync(name),
            _ => await CreateSqlServerDatabaseAsync(name),
        };
        return connectionString is null
            ? (Database.ForSqliteFile(Path.Combine(directory, $"{file}.db")), "")
            : (new Database(Provider, connectionString), connectionString);
    }

    private string DatabaseName(string name) => $"ops_bench_{run}_{name}".Replace('-', '_');

    private async Task<string> CreatePostgresDatabaseAsync(string name)
    {
        var (database, connectionString) = await PostgresServer.CreateDatabaseAsync(DatabaseName(name));
        created.Add(database);
        return connectionString;
    }

    private async Task<string> CreateSqlServerDatabaseAsync(string name)
    {
        var database = DatabaseName(name);
        await using (var master = new SqlConnection(sqlServer))
        {
            await master.ExecuteAsync(SqlServerBenchSql.CreateDatabase, new { Name = database });
        }

        created.Add(database);
        return new SqlConnectionStringBuilder(sqlServer) { InitialCatalog = database }.ConnectionString;
    }

    /// <summary>The process id of the PostgreSQL cluster's postmaster (its server processes are its children), or null on another store.</summary>
    public int? ServerProcessId()
    {
        var pidFile = Path.Combine(PostgresServer.Directory, "data", "postmaster.pid");
        return Provider == SqlProvider.Postgres && File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), out var pid) ? pid : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (Provider == SqlProvider.Postgres)
        {
            foreach (var name in created)
            {
                await PostgresServer.DropDatabaseAsync(name);
            }
        }
        else if (Provider == SqlProvider.SqlServer)
        {
            SqlConnection.ClearAllPools();
            await using var master = new SqlConnection(sqlServer);
            foreach (var name in created)
            {
                await master.ExecuteAsync(SqlServerBenchSql.DropDatabase, new { Name = name });
            }
        }
    }
}

/// <summary>
/// The benchmark's own statements, written for every store; the T-SQL parser test and the PostgreSQL statement test read them. The rows it
/// seeds into a service's store go in with that store's own statements (<see cref="Seeding"/>).
/// </summary>
public abstract class BenchSql : SqlStatements
{
    public static BenchSql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqliteBenchSql(),
        SqlProvider.Postgres => new PostgresBenchSql(),
        _ => new SqlServerBenchSql(),
    };

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
            NULL, '李女士', @ReporterPhone, @ReportedAt, @AcknowledgedAt, @AcknowledgedBy,
            @ResolvedAt, @ResolvedBy, @Resolution, 0, 0, '[]', @ReportedAt, @ReportedAt)
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

    public static string CreateDatabase => """
        DECLARE @create nvarchar(400) = N'CREATE DATABASE ' + QUOTENAME(@Name);
        IF DB_ID(@Name) IS NULL EXEC (@create);
        """;

    public static string DropDatabase => """
        DECLARE @drop nvarchar(800) = N'ALTER DATABASE ' + QUOTENAME(@Name) + N' SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE ' + QUOTENAME(@Name);
        IF DB_ID(@Name) IS NOT NULL EXEC (@drop);
        """;
}

internal sealed class PostgresBenchSql : BenchSql
{
    public override SqlProvider Provider => SqlProvider.Postgres;

    public override string CreateCeilingTable => "CREATE TABLE rows (id uuid PRIMARY KEY, a text, b text, c integer, d timestamptz)";
}
