using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;

namespace Ops.Hosting.Storage;

/// <summary>
/// Applies the versioned schema scripts embedded in an assembly (<c>Storage/Migrations/{sqlite|postgres|sqlserver}/NNNN_name.sql</c>),
/// each once, in order, each in its own transaction, and records them in <c>schema_migrations</c>.
/// </summary>
public static partial class SchemaMigrator
{
    public sealed record Script(string Component, int Version, string Name, string Sql);

    /// <summary>The scripts an assembly carries for a provider, in the order they apply.</summary>
    public static IReadOnlyList<Script> ScriptsIn(Assembly assembly, SqlProvider provider)
    {
        var folder = $"migrations/{provider.Name()}/";
        var component = assembly.GetName().Name ?? throw new InvalidOperationException("An assembly without a name carries no scripts.");
        var scripts = new List<Script>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var name = resource.Replace('\\', '/');
            if (!name.StartsWith(folder, StringComparison.OrdinalIgnoreCase) || !name.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var fileName = name[folder.Length..];
            var match = VersionPrefix().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Schema script {resource} must be named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add(new Script(component, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), fileName, reader.ReadToEnd()));
        }

        return [.. scripts.OrderBy(s => s.Version)];
    }

    /// <summary>Applies what is missing; returns the scripts it applied.</summary>
    public static async Task<IReadOnlyList<Script>> MigrateAsync(Database database, IEnumerable<Assembly> assemblies, CancellationToken cancellationToken = default)
    {
        var sql = MigrationSql.For(database.Provider);
        if (sql.PrepareUnderLock)
        {
            await database.WriteAsync(async transaction =>
            {
                await sql.TakeLock(transaction);
                foreach (var statement in sql.Prepare)
                {
                    await transaction.ExecuteAsync(statement);
                }
            }, cancellationToken);
        }
        else
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            foreach (var statement in sql.Prepare)
            {
                await connection.ExecuteAsync(statement);
            }
        }

        var applied = new List<Script>();
        foreach (var assembly in assemblies)
        {
            foreach (var script in ScriptsIn(assembly, database.Provider))
            {
                var done = await database.WriteAsync(async transaction =>
                {
                    await sql.TakeLock(transaction);
                    var exists = await transaction.ExecuteScalarAsync<int>(sql.IsApplied, new { script.Component, script.Version });
                    if (exists > 0)
                    {
                        return false;
                    }

                    foreach (var batch in Batches(script.Sql))
                    {
                        await transaction.ExecuteAsync(batch);
                    }

                    await transaction.ExecuteAsync(sql.RecordApplied, new { script.Component, script.Version, script.Name, AppliedAt = DateTimeOffset.UtcNow });
                    return true;
                }, cancellationToken);
                if (done)
                {
                    applied.Add(script);
                }
            }
        }

        return applied;
    }

    /// <summary>A script split at its <c>GO</c> lines (SQL Server batch separators); SQLite scripts have none.</summary>
    public static IEnumerable<string> Batches(string script) =>
        BatchSeparator().Split(script).Where(b => !string.IsNullOrWhiteSpace(b));

    [GeneratedRegex(@"^(\d+)_[\w.-]+\.sql$", RegexOptions.IgnoreCase)]
    private static partial Regex VersionPrefix();

    [GeneratedRegex(@"^\s*GO\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex BatchSeparator();
}

internal abstract class MigrationSql : SqlStatements
{
    public static MigrationSql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqliteMigrationSql(),
        SqlProvider.Postgres => new PostgresMigrationSql(),
        _ => new SqlServerMigrationSql(),
    };

    public abstract string CreateTable { get; }

    public virtual IEnumerable<string> Prepare => [CreateTable];

    /// <summary>True when <see cref="Prepare"/> runs in a transaction under the lock: instances starting together would race to create the table.</summary>
    public virtual bool PrepareUnderLock => false;

    public string IsApplied => "SELECT COUNT(*) FROM schema_migrations WHERE component = @Component AND version = @Version";

    public string RecordApplied => "INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (@Component, @Version, @Name, @AppliedAt)";

    public virtual Task TakeLock(DbTransaction transaction) => Task.CompletedTask;
}

internal sealed class SqliteMigrationSql : MigrationSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;

    public override string CreateTable => """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            component TEXT NOT NULL,
            version INTEGER NOT NULL,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            PRIMARY KEY (component, version))
        """;

    // Write-ahead logging: readers never wait for the writer. The setting stays with the file.
    public override IEnumerable<string> Prepare => ["PRAGMA journal_mode = WAL", CreateTable];
}

internal sealed class SqlServerMigrationSql : MigrationSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;

    public override string CreateTable => """
        IF OBJECT_ID(N'dbo.schema_migrations', N'U') IS NULL
        CREATE TABLE dbo.schema_migrations (
            component nvarchar(100) NOT NULL,
            version int NOT NULL,
            name nvarchar(200) NOT NULL,
            applied_at datetime2 NOT NULL,
            CONSTRAINT PK_schema_migrations PRIMARY KEY (component, version))
        """;

    /// <summary>Several instances starting at once apply each script once.</summary>
    public string Lock => "EXEC sp_getapplock @Resource = N'ops-schema-migrations', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 60000";

    public override Task TakeLock(DbTransaction transaction) => transaction.ExecuteAsync(Lock);
}

internal sealed class PostgresMigrationSql : MigrationSql
{
    public override SqlProvider Provider => SqlProvider.Postgres;

    public override string CreateTable => """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            component text NOT NULL,
            version integer NOT NULL,
            name text NOT NULL,
            applied_at timestamptz NOT NULL,
            PRIMARY KEY (component, version))
        """;

    public override bool PrepareUnderLock => true;

    /// <summary>Several instances starting at once apply each script once: a lock of the transaction, on a number of our own.</summary>
    public string Lock => "SELECT pg_advisory_xact_lock(7081960113)";

    public override Task TakeLock(DbTransaction transaction) => transaction.ExecuteAsync(Lock);
}
