using Ops.Hosting.Storage;

namespace Ops.Hosting.Admin;

/// <summary>What a backup reads of the store for its manifest, SQL Server's own backup, and what PostgreSQL's backup and restore check.</summary>
internal abstract class BackupSql : SqlStatements
{
    public static BackupSql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqliteBackupSql(),
        SqlProvider.Postgres => new PostgresBackupSql(),
        _ => new SqlServerBackupSql(),
    };

    public string SchemaVersions => "SELECT component AS Component, MAX(version) AS Version FROM schema_migrations GROUP BY component ORDER BY component";

    public string ChainHeads => "SELECT chain AS Chain, last_seq AS LastSeq, last_hash AS LastHash FROM evidence_chains ORDER BY chain";
}

internal sealed class SqliteBackupSql : BackupSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;
}

internal sealed class SqlServerBackupSql : BackupSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;

    public string DatabaseName => "SELECT DB_NAME()";

    /// <summary>
    /// A full backup that leaves the differential base alone (<c>COPY_ONLY</c>), each page's checksum checked as it is read,
    /// written to a file on the server's disk; the server takes it while the service keeps writing.
    /// </summary>
    public string BackupDatabase => "BACKUP DATABASE @Database TO DISK = @Path WITH COPY_ONLY, CHECKSUM, INIT, NAME = @Name";
}

internal sealed class PostgresBackupSql : BackupSql
{
    public override SqlProvider Provider => SqlProvider.Postgres;

    public string DatabaseName => "SELECT current_database()";

    /// <summary>Names the snapshot of the (repeatable read) transaction that runs it, for pg_dump to read the same moment.</summary>
    public string ExportSnapshot => "SELECT pg_export_snapshot()";

    /// <summary>Tables, views and sequences outside PostgreSQL's own schemas: none in a database a restore may fill.</summary>
    public string UserRelations => """
        SELECT COUNT(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
        """;

    /// <summary>Other clients connected to this database (a service still running, or starting).</summary>
    public string OtherSessions => """
        SELECT COUNT(*) FROM pg_catalog.pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
        """;
}
