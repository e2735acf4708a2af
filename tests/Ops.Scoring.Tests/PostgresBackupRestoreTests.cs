using Dapper;
using Npgsql;
using Ops.Hosting.Admin;
using Ops.Hosting.Audit;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>
/// A store on PostgreSQL backed up with pg_dump while it is written to, and restored with pg_restore into an empty database:
/// one moment's store with its manifest, and the same refusals as on SQLite.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class PostgresBackupRestoreTests
{
    private const string Service = "scoring";
    private const string Chain = "test-entries";

    private static readonly System.Reflection.Assembly[] SchemaAssemblies = [typeof(Database).Assembly];

    private readonly List<string> folders = [];
    private readonly List<string> databases = [];

    [TearDown]
    public async Task DeleteFoldersAndDatabases()
    {
        foreach (var folder in folders)
        {
            Directory.Delete(folder, recursive: true);
        }

        foreach (var database in databases)
        {
            await PostgresServer.DropDatabaseAsync(database);
        }

        // One instance runs every test of the fixture.
        folders.Clear();
        databases.Clear();
    }

    private string BackupFolder()
    {
        var folder = TestFolder.Create();
        folders.Add(folder);
        return Path.Combine(folder, "backup");
    }

    /// <summary>A new, empty database, as an administrator creates for a restore.</summary>
    private async Task<Database> EmptyDatabaseAsync()
    {
        var (name, connectionString) = await PostgresServer.CreateDatabaseAsync();
        databases.Add(name);
        return new Database(SqlProvider.Postgres, connectionString);
    }

    private sealed record Entry : IChainedEntry
    {
        public long? ChainSeq { get; init; }

        public string? PrevHash { get; init; }

        public string? Hash { get; init; }

        public required string Text { get; init; }

        public string Describe() => Text;

        public string Content() => EvidenceChain.Content(Text);
    }

    private static readonly ChainedTable Entries = new ChainedTable<Entry>(Chain, ("测试", "test"),
        "SELECT chain_seq AS ChainSeq, prev_hash AS PrevHash, hash AS Hash, text AS Text FROM test_entries ORDER BY chain_seq");

    /// <summary>A store with the hosting library's schema and a chained table of the test's own, <paramref name="count"/> entries in it.</summary>
    private static async Task<TempDatabase> StoreAsync(int count)
    {
        var store = await TempDatabase.CreateAsync(TestStore.Postgres);
        await store.Database.WriteAsync(t => t.ExecuteAsync("CREATE TABLE test_entries (chain_seq bigint NOT NULL PRIMARY KEY, prev_hash char(64) NOT NULL, hash char(64) NOT NULL, text text NOT NULL)"));
        for (var i = 0; i < count; i++)
        {
            await AppendAsync(store.Database);
        }

        return store;
    }

    private static Task AppendAsync(Database database) =>
        database.WriteAsync(async t =>
        {
            var text = $"entry {Guid.NewGuid():N}";
            var link = await TestSecrets.Evidence(database).LinkAsync(t, Chain, EvidenceChain.Content(text));
            await t.ExecuteAsync("INSERT INTO test_entries (chain_seq, prev_hash, hash, text) VALUES (@Seq, @PrevHash, @Hash, @Text)", new { link.Seq, link.PrevHash, link.Hash, Text = text });
        });

    private static Task<long> CountAsync(Database database) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM test_entries"));

    private static Task<long> RelationsAsync(Database database) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'"));

    [Test]
    public async Task ABackupTakenWhileTheStoreIsWritten_IsOneMoment_AndRestoresIntoAnEmptyDatabase()
    {
        await using var store = await StoreAsync(0);
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await AppendAsync(store.Database);
            }
        });
        await Eventually.HoldsAsync(async () => await CountAsync(store.Database) >= 20, TimeSpan.FromSeconds(30));

        var folder = BackupFolder();
        var manifest = await StoreBackup.BackupPostgresAsync(store.Database, Service, folder, TimeProvider.System);
        var atBackup = await CountAsync(store.Database);
        await Eventually.HoldsAsync(async () => await CountAsync(store.Database) >= atBackup + 20, TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await writing;

        var file = manifest.Files.Single();
        var dump = Path.Combine(folder, file.Name);
        Assert.That((manifest.Service, manifest.Provider, Path.GetExtension(file.Name)), Is.EqualTo((Service, "postgres", ".dump")));
        Assert.That(await BackupManifest.HashAsync(dump), Is.EqualTo(file.Sha256));
        Assert.That((await BackupManifest.ReadAsync(folder)).Files.Single().Sha256, Is.EqualTo(file.Sha256), "the manifest on disk");
        Assert.That(manifest.Schema.Select(s => s.Component), Has.Member("Ops.Hosting"));
        Assert.That(File.GetUnixFileMode(dump), Is.EqualTo(OwnerOnlyFiles.File));
        Assert.That(File.GetUnixFileMode(folder), Is.EqualTo(OwnerOnlyFiles.Folder));

        await using var target = await EmptyDatabaseAsync();
        var restored = await StoreRestore.RestorePostgresAsync(folder, target, Service, SchemaAssemblies);

        var entries = await CountAsync(target);
        Assert.That(restored, Is.EqualTo(manifest).Using<BackupManifest>((a, b) => a.CreatedAt == b.CreatedAt && a.Files.SequenceEqual(b.Files)));
        Assert.That(entries, Is.GreaterThan(0).And.LessThan(await CountAsync(store.Database)), "the writes went on during and after the backup");
        Assert.That(manifest.Chains.Single(c => c.Chain == Chain).LastSeq, Is.EqualTo(entries), "the chain's head is the dump's newest entry: one moment's store");
        var chains = await new EvidenceVerifier(target, TestSecrets.Evidence(target), [Entries]).VerifyAsync();
        Assert.That((chains.Single().Entries, chains.Single().Intact), Is.EqualTo((entries, true)));
    }

    [Test]
    public async Task ARestore_RefusesADatabaseThatIsNotEmpty_AndLeavesItAlone()
    {
        await using var store = await StoreAsync(3);
        var folder = BackupFolder();
        await StoreBackup.BackupPostgresAsync(store.Database, Service, folder, TimeProvider.System);
        await AppendAsync(store.Database);
        await using var other = new Database(SqlProvider.Postgres, await ConnectionStringOfAsync(store.Database));
        await store.Database.DisposeAsync();

        var refused = Assert.ThrowsAsync<BackupRefusedException>(() => StoreRestore.RestorePostgresAsync(folder, other, Service, SchemaAssemblies));

        Assert.That(refused!.Message, Does.Contain("is not empty"));
        Assert.That(await CountAsync(other), Is.EqualTo(4));
    }

    [Test]
    public async Task ARestore_RefusesADatabaseAnotherClientIsConnectedTo()
    {
        await using var store = await StoreAsync(1);
        var folder = BackupFolder();
        await StoreBackup.BackupPostgresAsync(store.Database, Service, folder, TimeProvider.System);
        await using var target = await EmptyDatabaseAsync();
        await using var running = await target.OpenAsync();
        await using var checking = new Database(SqlProvider.Postgres, await ConnectionStringOfAsync(target));

        var refused = Assert.ThrowsAsync<BackupRefusedException>(() => StoreRestore.RestorePostgresAsync(folder, checking, Service, SchemaAssemblies));

        Assert.That(refused!.Message, Does.Contain("stop the service"));
        await running.CloseAsync();
        Assert.That(await RelationsAsync(checking), Is.Zero);
    }

    [Test]
    public async Task ARestore_RefusesADumpChangedAfterTheBackup()
    {
        await using var store = await StoreAsync(3);
        var folder = BackupFolder();
        var manifest = await StoreBackup.BackupPostgresAsync(store.Database, Service, folder, TimeProvider.System);
        var dump = Path.Combine(folder, manifest.Files.Single().Name);
        var bytes = await File.ReadAllBytesAsync(dump);
        bytes[^100] ^= 0x01;
        await File.WriteAllBytesAsync(dump, bytes);
        await using var target = await EmptyDatabaseAsync();

        var refused = Assert.ThrowsAsync<BackupRefusedException>(() => StoreRestore.RestorePostgresAsync(folder, target, Service, SchemaAssemblies));

        Assert.That(refused!.Message, Does.Contain("SHA-256"));
        Assert.That(await RelationsAsync(target), Is.Zero);
    }

    [Test]
    public async Task ARestore_RefusesABackupOfANewerSchema_OrOfAnotherServiceOrStore()
    {
        await using var store = await StoreAsync(1);
        var folder = BackupFolder();
        var manifest = await StoreBackup.BackupPostgresAsync(store.Database, Service, folder, TimeProvider.System);
        await using var target = await EmptyDatabaseAsync();

        var otherService = Assert.ThrowsAsync<BackupRefusedException>(() => StoreRestore.RestorePostgresAsync(folder, target, "tickets", SchemaAssemblies));
        File.Delete(Path.Combine(folder, BackupManifest.FileName));
        await (manifest with { Provider = "sqlite" }).WriteAsync(folder);
        var otherStore = Assert.ThrowsAsync<BackupRefusedException>(() => StoreRestore.RestorePostgresAsync(folder, target, Service, SchemaAssemblies));
        File.Delete(Path.Combine(folder, BackupManifest.FileName));
        await (manifest with { Schema = [.. manifest.Schema.Select(s => s with { Version = s.Version + 1 })] }).WriteAsync(folder);
        var newer = Assert.ThrowsAsync<BackupRefusedException>(() => StoreRestore.RestorePostgresAsync(folder, target, Service, SchemaAssemblies));

        Assert.That(otherService!.Message, Does.Contain("not of tickets on postgres"));
        Assert.That(otherStore!.Message, Does.Contain("on sqlite, not of scoring on postgres"));
        Assert.That(newer!.Message, Does.Contain("newer"));
        Assert.That(await RelationsAsync(target), Is.Zero);
    }

    [Test]
    public async Task ABackup_GoesIntoANewOrEmptyFolderOnly()
    {
        await using var store = await StoreAsync(1);
        var folder = BackupFolder();
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "earlier.dump"), "x");

        var refused = Assert.ThrowsAsync<BackupRefusedException>(() => StoreBackup.BackupPostgresAsync(store.Database, Service, folder, TimeProvider.System));

        Assert.That(refused!.Message, Does.Contain("not empty"));
    }

    /// <summary>The connection string of a test database, from the cluster's account and its name.</summary>
    private static async Task<string> ConnectionStringOfAsync(Database database) =>
        await PostgresServer.ConnectionStringAsync(await database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT current_database()")) ?? "");
}
