using Ops.Hosting.Storage;

namespace Ops.Hosting.Admin;

/// <summary>What a backup reads of the store for its manifest, and SQL Server's own backup.</summary>
internal abstract class BackupSql : SqlStatements
{
    public static BackupSql For(SqlProvider provider) => provider == SqlProvider.Sqlite ? new SqliteBackupSql() : new SqlServerBackupSql();

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
