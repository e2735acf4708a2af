using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Ops.Hosting.Storage;

namespace Ops.Hosting.Admin;

/// <summary>
/// Takes a consistent copy of a service's store while the service runs. On SQLite it is SQLite's online backup: it
/// copies the database as of one moment (a read transaction), the service writing on meanwhile, into
/// <c>{folder}/{service}.db</c>, one self-contained file owner-only (0600) in an owner-only folder. On PostgreSQL it is
/// <c>pg_dump</c>'s custom format, of one snapshot; on SQL Server the server's own <c>BACKUP DATABASE</c>.
/// </summary>
public static class StoreBackup
{
    /// <summary>The SQLite file a database runs on.</summary>
    public static async Task<string> SqliteFileAsync(Database database, CancellationToken cancellationToken = default)
    {
        await using var connection = (SqliteConnection)await database.OpenAsync(cancellationToken);
        return Path.GetFullPath(connection.DataSource);
    }

    /// <summary>Backs up the SQLite store of <paramref name="database"/> into <paramref name="folder"/> (new or empty) and writes its manifest.</summary>
    public static async Task<BackupManifest> BackupSqliteAsync(Database database, string folder, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var live = await SqliteFileAsync(database, cancellationToken);
        var service = Path.GetFileNameWithoutExtension(live);
        PrepareFolder(folder);
        var target = Path.Combine(folder, Path.GetFileName(live));
        OwnerOnlyFiles.PrepareDatabase(target);

        DateTimeOffset takenAt;
        IReadOnlyList<SchemaVersion> schema;
        IReadOnlyList<ChainHead> chains;
        await using (var source = (SqliteConnection)await database.OpenAsync(cancellationToken))
        await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString()))
        {
            await copy.OpenAsync(cancellationToken);
            takenAt = time.GetUtcNow();
            source.BackupDatabase(copy);

            // The copy keeps no write-ahead log beside it: one file to hash and to restore; the service sets WAL again when it starts on it.
            await copy.ExecuteAsync("PRAGMA journal_mode = DELETE");
            try
            {
                (schema, chains) = await FactsAsync(copy, SqlProvider.Sqlite);
            }
            catch (SqliteException e)
            {
                await copy.CloseAsync();
                File.Delete(target);
                throw new BackupRefusedException($"{live} holds no store of the service ({e.Message}); nothing was backed up.");
            }
        }

        var manifest = new BackupManifest
        {
            CreatedAt = takenAt,
            Service = service,
            Provider = "sqlite",
            Schema = schema,
            Chains = chains,
            Files = [new BackupFile { Name = Path.GetFileName(target), Bytes = new FileInfo(target).Length, Sha256 = await BackupManifest.HashAsync(target, cancellationToken) }],
        };
        await manifest.WriteAsync(folder, cancellationToken);
        return manifest;
    }

    /// <summary>
    /// Has SQL Server back the database up (<see cref="SqlServerBackupSql.BackupDatabase"/>) into <paramref name="serverFolder"/>, a
    /// folder on the server's own disk, and writes the manifest (schema and chain heads, read just after) into <paramref name="folder"/> here.
    /// </summary>
    public static async Task<BackupManifest> BackupSqlServerAsync(Database database, string service, string serverFolder, string folder, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var sql = new SqlServerBackupSql();
        PrepareFolder(folder);
        var takenAt = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        var name = await connection.ExecuteScalarAsync<string>(sql.DatabaseName) ?? throw new InvalidOperationException("The connection names no database.");
        var separator = serverFolder.Contains('\\', StringComparison.Ordinal) ? '\\' : '/';
        var serverFile = $"{serverFolder.TrimEnd('/', '\\')}{separator}{name}-{takenAt:yyyyMMdd'T'HHmmss'Z'}.bak";
        await connection.ExecuteAsync(new CommandDefinition(sql.BackupDatabase, new { Database = name, Path = serverFile, Name = $"Ops SLA {service} {takenAt:O}" }, commandTimeout: 0, cancellationToken: cancellationToken));
        var (schema, chains) = await FactsAsync(connection, SqlProvider.SqlServer);
        var manifest = new BackupManifest { CreatedAt = takenAt, Service = service, Provider = "sqlserver", Schema = schema, Chains = chains, Files = [], ServerFile = serverFile };
        await manifest.WriteAsync(folder, cancellationToken);
        return manifest;
    }

    /// <summary>
    /// Has <c>pg_dump</c> write the database, in its custom format, to <c>{folder}/{database}.dump</c> (new or empty folder, owner-only),
    /// and writes the manifest. The dump and the manifest's schema versions and chain heads are one moment: the dump reads the
    /// snapshot of the transaction that read them, while the service writes on.
    /// </summary>
    public static async Task<BackupManifest> BackupPostgresAsync(Database database, string service, string folder, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var sql = new PostgresBackupSql();
        PrepareFolder(folder);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var moment = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var snapshot = await moment.ExecuteScalarAsync<string>(sql.ExportSnapshot) ?? throw new InvalidOperationException("PostgreSQL exported no snapshot.");
        var takenAt = time.GetUtcNow();
        var name = await moment.ExecuteScalarAsync<string>(sql.DatabaseName) ?? throw new InvalidOperationException("The connection names no database.");
        IReadOnlyList<SchemaVersion> schema;
        IReadOnlyList<ChainHead> chains;
        try
        {
            (schema, chains) = await FactsAsync(connection, SqlProvider.Postgres, moment);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            throw new BackupRefusedException($"{database.Describe()} holds no store of the service ({e.MessageText}); nothing was backed up.");
        }

        var target = Path.Combine(folder, $"{name}.dump");
        await using (new FileStream(target, NewOwnerOnlyFile()))
        {
            // made owner-only before pg_dump writes into it
        }

        try
        {
            await PostgresTools.RunAsync("pg_dump", ["--format=custom", $"--snapshot={snapshot}", $"--file={target}"], database.PostgresSettings(), cancellationToken);
        }
        catch
        {
            File.Delete(target);
            throw;
        }

        await moment.CommitAsync(cancellationToken);
        var manifest = new BackupManifest
        {
            CreatedAt = takenAt,
            Service = service,
            Provider = SqlProvider.Postgres.Name(),
            Schema = schema,
            Chains = chains,
            Files = [new BackupFile { Name = Path.GetFileName(target), Bytes = new FileInfo(target).Length, Sha256 = await BackupManifest.HashAsync(target, cancellationToken) }],
        };
        await manifest.WriteAsync(folder, cancellationToken);
        return manifest;
    }

    /// <summary>The schema versions and chain heads a store holds.</summary>
    public static async Task<(IReadOnlyList<SchemaVersion> Schema, IReadOnlyList<ChainHead> Chains)> FactsAsync(DbConnection connection, SqlProvider provider, DbTransaction? transaction = null)
    {
        var sql = BackupSql.For(provider);
        var schema = (await connection.QueryAsync<SchemaVersion>(sql.SchemaVersions, transaction: transaction)).AsList();
        var chains = (await connection.QueryAsync<ChainHead>(sql.ChainHeads, transaction: transaction)).AsList();
        return (schema, chains);
    }

    /// <summary>How a backup's files are created: new, owner-only (0600) from the start.</summary>
    internal static FileStreamOptions NewOwnerOnlyFile()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFiles.File;
        }

        return options;
    }

    /// <summary>A backup goes into a folder of its own: a new one, or an empty one; an earlier backup is never overwritten.</summary>
    private static void PrepareFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            if (Directory.EnumerateFileSystemEntries(folder).Any())
            {
                throw new BackupRefusedException($"{folder} is not empty: a backup goes into a new or empty folder.");
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(folder, OwnerOnlyFiles.Folder);
            }

            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, OwnerOnlyFiles.Folder);
        }
    }
}
