using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;
using Ops.Hosting.Storage;

namespace Ops.Hosting.Admin;

/// <summary>
/// Restores a backup into a stopped service; on SQLite: It refuses (and changes nothing) when the backup's files do not
/// match its manifest, when its schema is newer than this build knows, or when the service still has its store open;
/// otherwise it puts the store it replaces aside (<c>{file}.before-restore-{UTC time}</c>) and the backup in its place,
/// owner-only.
/// </summary>
public static class StoreRestore
{
    /// <summary>What a restore did: the backup's manifest and where the replaced store was put (none when there was none).</summary>
    public sealed record Restored(BackupManifest Manifest, string? ReplacedStore);

    public static async Task<Restored> RestoreSqliteAsync(string folder, string liveFile, IEnumerable<Assembly> schemaAssemblies, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var manifest = await BackupManifest.ReadAsync(folder, cancellationToken);
        var service = Path.GetFileNameWithoutExtension(liveFile);
        if (manifest.Provider != "sqlite" || manifest.Service != service)
        {
            throw new BackupRefusedException($"The backup is of {manifest.Service} on {manifest.Provider}, not of {service} on sqlite.");
        }

        var store = await CheckFilesAsync(folder, manifest, Path.GetFileName(liveFile), cancellationToken);
        CheckSchema(manifest, schemaAssemblies, SqlProvider.Sqlite);
        await CheckStoppedAsync(liveFile, cancellationToken);

        // Copied beside the store and checked before the store is touched: a full disk or an interrupted copy leaves
        // the store as it was, and the store is never half a backup.
        var incoming = $"{liveFile}.restoring";
        File.Delete(incoming);
        try
        {
            await using (var source = File.OpenRead(store.Path))
            await using (var target = new FileStream(incoming, StoreBackup.NewOwnerOnlyFile()))
            {
                await source.CopyToAsync(target, cancellationToken);
                target.Flush(flushToDisk: true);
            }

            if (await BackupManifest.HashAsync(incoming, cancellationToken) != store.File.Sha256)
            {
                throw new BackupRefusedException($"The copy of {store.Path} does not match its hash (the disk?); nothing was restored.");
            }
        }
        catch
        {
            File.Delete(incoming);
            throw;
        }

        string? aside = null;
        var moved = new List<string>();
        try
        {
            if (File.Exists(liveFile))
            {
                aside = $"{liveFile}.before-restore-{time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}";
                foreach (var suffix in new[] { "-wal", "-shm", "" }.Where(s => File.Exists(liveFile + s)))
                {
                    File.Move(liveFile + suffix, aside + suffix);
                    moved.Add(suffix);
                }
            }

            File.Move(incoming, liveFile);
        }
        catch
        {
            // Whatever was moved aside goes back: the service starts as it stopped.
            foreach (var suffix in moved)
            {
                File.Move(aside + suffix, liveFile + suffix, overwrite: true);
            }

            File.Delete(incoming);
            throw;
        }

        OwnerOnlyFiles.PrepareDatabase(liveFile);
        if (aside is not null)
        {
            OwnerOnlyFiles.PrepareDatabase(aside);
        }

        return new Restored(manifest, aside);
    }

    /// <summary>
    /// Restores a PostgreSQL backup (<see cref="StoreBackup.BackupPostgresAsync"/>) with <c>pg_restore</c> into the database
    /// <paramref name="database"/> connects to, which must be empty and have no other client: a new database, or one dropped
    /// and created again, the service stopped. It refuses what the SQLite restore refuses (files that do not match the manifest,
    /// a newer schema); <c>pg_restore</c> runs as one transaction, so a restore that fails leaves the database empty.
    /// </summary>
    public static async Task<BackupManifest> RestorePostgresAsync(string folder, Database database, string service, IEnumerable<Assembly> schemaAssemblies, CancellationToken cancellationToken = default)
    {
        var manifest = await BackupManifest.ReadAsync(folder, cancellationToken);
        var provider = SqlProvider.Postgres.Name();
        if (manifest.Provider != provider || manifest.Service != service)
        {
            throw new BackupRefusedException($"The backup is of {manifest.Service} on {manifest.Provider}, not of {service} on {provider}.");
        }

        var dump = await CheckFilesAsync(folder, manifest, storeName: null, cancellationToken);
        CheckSchema(manifest, schemaAssemblies, SqlProvider.Postgres);
        await CheckEmptyAsync(database, cancellationToken);

        await PostgresTools.RunAsync(
            "pg_restore",
            // Owned by the service's own account, whichever account owned the objects where the backup was taken.
            ["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges", $"--dbname={database.PostgresSettings().Database}", dump.Path],
            database.PostgresSettings(),
            cancellationToken);

        await using var connection = await database.OpenAsync(cancellationToken);
        var (_, chains) = await StoreBackup.FactsAsync(connection, SqlProvider.Postgres);
        if (!chains.SequenceEqual(manifest.Chains))
        {
            throw new IOException($"The restored database's chain heads are not the manifest's: restored {string.Join(", ", chains.Select(c => $"{c.Chain} {c.LastSeq}"))}.");
        }

        return manifest;
    }

    /// <summary>A restore fills an empty database that no one else uses: it never mixes a backup into a store, nor fills one under a running service.</summary>
    private static async Task CheckEmptyAsync(Database database, CancellationToken cancellationToken)
    {
        var sql = new PostgresBackupSql();
        await using var connection = await database.OpenAsync(cancellationToken);
        var others = await connection.ExecuteScalarAsync<long>(sql.OtherSessions);
        if (others > 0)
        {
            throw new BackupRefusedException($"{database.Describe()} has {others} other connection(s): stop the service (every instance) first, then restore.");
        }

        var relations = await connection.ExecuteScalarAsync<long>(sql.UserRelations);
        if (relations > 0)
        {
            throw new BackupRefusedException(
                $"{database.Describe()} is not empty ({relations} tables, views or sequences): restore into a new database, or drop and create it again (DROP DATABASE, CREATE DATABASE … OWNER …), with the service stopped.");
        }
    }

    /// <summary>Every file of the backup is there, unchanged, and nothing else; returns the store's file (with no name given, the backup's only file).</summary>
    private static async Task<(string Path, BackupFile File)> CheckFilesAsync(string folder, BackupManifest manifest, string? storeName, CancellationToken cancellationToken)
    {
        foreach (var file in manifest.Files)
        {
            var path = Path.Combine(folder, file.Name);
            if (file.Name != Path.GetFileName(file.Name) || !File.Exists(path))
            {
                throw new BackupRefusedException($"{file.Name}, named in the manifest, is not in {folder}.");
            }

            if (new FileInfo(path).Length != file.Bytes || await BackupManifest.HashAsync(path, cancellationToken) != file.Sha256)
            {
                throw new BackupRefusedException($"{file.Name} does not match the manifest's SHA-256: it was changed after the backup.");
            }
        }

        var listed = manifest.Files.Select(f => f.Name).Append(BackupManifest.FileName).ToHashSet(StringComparer.Ordinal);
        if (Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).FirstOrDefault(n => !listed.Contains(n!)) is { } extra)
        {
            throw new BackupRefusedException($"{extra} is in {folder} but not in the manifest.");
        }

        var store = (storeName is null ? (manifest.Files.Count == 1 ? manifest.Files[0] : null) : manifest.Files.FirstOrDefault(f => f.Name == storeName))
            ?? throw new BackupRefusedException($"The backup has no {storeName ?? "single file"}.");
        return (Path.Combine(folder, store.Name), store);
    }

    /// <summary>A backup from a newer build (a schema script this build does not carry) is refused: this build cannot run on it.</summary>
    private static void CheckSchema(BackupManifest manifest, IEnumerable<Assembly> schemaAssemblies, SqlProvider provider)
    {
        var known = schemaAssemblies
            .SelectMany(a => SchemaMigrator.ScriptsIn(a, provider))
            .GroupBy(s => s.Component)
            .ToDictionary(g => g.Key, g => g.Max(s => s.Version));
        foreach (var applied in manifest.Schema)
        {
            if (!known.TryGetValue(applied.Component, out var newest) || applied.Version > newest)
            {
                throw new BackupRefusedException(
                    $"The backup's schema {applied.Component} {applied.Version} is newer than this build's ({(known.ContainsKey(applied.Component) ? newest : "none")}): restore it with the build that took it.");
            }
        }
    }

    /// <summary>
    /// A service running on the store keeps it open; so the store is opened here alone (exclusive locking) and given up
    /// at once. While anyone else has it open that fails.
    /// </summary>
    private static async Task CheckStoppedAsync(string liveFile, CancellationToken cancellationToken)
    {
        if (!File.Exists(liveFile))
        {
            return;
        }

        var builder = new SqliteConnectionStringBuilder { DataSource = liveFile, Pooling = false, Mode = SqliteOpenMode.ReadWrite, DefaultTimeout = 1 };
        await using var connection = new SqliteConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;");

            // Its write-ahead log moved into the store before it is put aside: one file, as it was at the stop.
            await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            throw new BackupRefusedException($"{liveFile} is in use (SQLite: {e.Message.TrimEnd('.')}): stop the service first, then restore.");
        }
    }
}
