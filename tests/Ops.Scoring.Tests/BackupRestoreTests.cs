using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ops.Hosting;
using Ops.Contracts.Sla;
using Ops.Hosting.Admin;
using Ops.Hosting.Audit;
using Ops.Hosting.Storage;
using Ops.Scoring.Ledger;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>The scoring store backed up while the service writes, and restored into a stopped service: refusals, the chains, the assessment.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class BackupRestoreTests
{
    private static readonly DateTimeOffset Now = Clocks.Reported.AddDays(1);

    private readonly List<string> folders = [];

    private string NewFolder()
    {
        var folder = TestFolder.Create();
        folders.Add(folder);
        return folder;
    }

    /// <summary>A folder for a backup that does not exist yet: the backup creates it.</summary>
    private string BackupFolder() => Path.Combine(NewFolder(), "backup");

    [TearDown]
    public void DeleteFolders()
    {
        SqliteConnection.ClearAllPools();
        foreach (var folder in folders)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task BreachAsync(ServiceFactory<Program> service, int count)
    {
        var ledger = service.Services.GetRequiredService<DeductionLedger>();
        for (var i = 0; i < count; i++)
        {
            await ledger.RecordClockAsync(Clocks.Running(ClockKind.Response).Breached(), Now);
        }
    }

    private static Task<long> EntriesAsync(Database database) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM deductions"));

    private static Task<string> AssessmentAsync(ServiceFactory<Program> service) =>
        service.CreateClient().GetStringAsync($"/api/assessment?contract={Seed.Contract}");

    /// <summary>A scoring service on the SQLite files of <paramref name="folder"/>.</summary>
    private static ServiceFactory<Program> ServiceOn(string folder)
    {
        var service = new ServiceFactory<Program>();
        service.Settings["Database:DataDirectory"] = folder;
        return service;
    }

    [Test]
    public async Task ABackupTakenWhileTheServiceWrites_IsOneMomentsStore_ThatOpens_WithTheManifestsHashes()
    {
        await using var service = new ServiceFactory<Program>();
        _ = service.CreateClient();
        var database = service.Services.GetRequiredService<Database>();
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await BreachAsync(service, 1);
            }
        });
        await Eventually.HoldsAsync(async () => await EntriesAsync(database) >= 20, TimeSpan.FromSeconds(30));

        var folder = BackupFolder();
        var manifest = await StoreBackup.BackupSqliteAsync(database, folder, service.Time);
        var atBackup = await EntriesAsync(database);
        await Eventually.HoldsAsync(async () => await EntriesAsync(database) >= atBackup + 20, TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await writing;

        var file = manifest.Files.Single();
        var copy = Path.Combine(folder, file.Name);
        Assert.That((manifest.Service, manifest.Provider, file.Name), Is.EqualTo(("scoring", "sqlite", "scoring.db")));
        Assert.That(await BackupManifest.HashAsync(copy), Is.EqualTo(file.Sha256));
        Assert.That((await BackupManifest.ReadAsync(folder)).Files.Single().Sha256, Is.EqualTo(file.Sha256), "the manifest on disk");
        Assert.That(manifest.Schema.Select(s => s.Component), Is.SupersetOf(new[] { "Ops.Hosting", "Ops.Scoring" }));
        Assert.That(File.GetUnixFileMode(copy), Is.EqualTo(OwnerOnlyFiles.File));
        Assert.That(File.GetUnixFileMode(folder), Is.EqualTo(OwnerOnlyFiles.Folder));

        var backup = Database.ForSqliteFile(copy);
        await using (backup)
        {
            Assert.That(await backup.ReadAsync(c => c.ExecuteScalarAsync<string>("PRAGMA integrity_check")), Is.EqualTo("ok"));
            var entries = await EntriesAsync(backup);
            Assert.That(entries, Is.GreaterThan(0).And.LessThan(await EntriesAsync(database)), "the writes went on during and after the backup");
            var head = manifest.Chains.Single(c => c.Chain == DeductionLedger.LedgerChain);
            Assert.That(head.LastSeq, Is.EqualTo(entries), "the chain's head is the copy's newest entry: one moment's store");
            var chains = await new EvidenceVerifier(backup, TestSecrets.Evidence(backup),
                [new ChainedTable<Deduction>(DeductionLedger.LedgerChain, ("", ""), LedgerSql.For(SqlProvider.Sqlite).LedgerInChainOrder)]).VerifyAsync();
            Assert.That(chains.Single().Intact, Is.True);
        }
    }

    [Test]
    public async Task ARestore_RefusesAFileChangedAfterTheBackup_AndLeavesTheStoreAlone()
    {
        var (folder, live) = await BackupAndStopAsync();
        var copy = Path.Combine(folder, "scoring.db");
        var bytes = await File.ReadAllBytesAsync(copy);
        bytes[^100] ^= 0x01;
        await File.WriteAllBytesAsync(copy, bytes);
        var before = await BackupManifest.HashAsync(live);

        var refused = Assert.ThrowsAsync<BackupRefusedException>(() => StoreRestore.RestoreSqliteAsync(folder, live, SchemaAssemblies, TimeProvider.System));

        Assert.That(refused!.Message, Does.Contain("SHA-256"));
        Assert.That(await BackupManifest.HashAsync(live), Is.EqualTo(before));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(live)!, "*.before-restore-*"), Is.Empty);
    }

    [Test]
    public async Task ARestoreThatCannotWriteItsCopy_LeavesTheStoreInPlace()
    {
        var (folder, live) = await BackupAndStopAsync();
        var before = await BackupManifest.HashAsync(live);
        // Where the copy would go is taken: as when the disk is full or the copy is interrupted, it cannot be written.
        Directory.CreateDirectory($"{live}.restoring");
        await File.WriteAllTextAsync(Path.Combine($"{live}.restoring", "taken"), "x");

        Assert.CatchAsync(() => StoreRestore.RestoreSqliteAsync(folder, live, SchemaAssemblies, TimeProvider.System));

        Assert.That(File.Exists(live), "the service would otherwise start on a new, empty store");
        Assert.That(await BackupManifest.HashAsync(live), Is.EqualTo(before));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(live)!, "*.before-restore-*"), Is.Empty);
    }

    [Test]
    public async Task ARestore_RefusesABackupOfANewerSchema_ThanThisBuildKnows()
    {
        var (folder, live) = await BackupAndStopAsync();
        var manifest = await BackupManifest.ReadAsync(folder);
        File.Delete(Path.Combine(folder, BackupManifest.FileName));
        await (manifest with { Schema = [.. manifest.Schema.Select(s => s.Component == "Ops.Scoring" ? s with { Version = s.Version + 1 } : s)] }).WriteAsync(folder);

        var refused = Assert.ThrowsAsync<BackupRefusedException>(() => StoreRestore.RestoreSqliteAsync(folder, live, SchemaAssemblies, TimeProvider.System));

        Assert.That(refused!.Message, Does.Contain("newer"));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(live)!, "*.before-restore-*"), Is.Empty);
    }

    [Test]
    public async Task ARestore_RefusesAStoreTheServiceStillHasOpen()
    {
        await using var service = new ServiceFactory<Program>();
        _ = service.CreateClient();
        await BreachAsync(service, 1);
        var database = service.Services.GetRequiredService<Database>();
        var folder = BackupFolder();
        await StoreBackup.BackupSqliteAsync(database, folder, service.Time);
        var live = await StoreBackup.SqliteFileAsync(database);

        var refused = Assert.ThrowsAsync<BackupRefusedException>(() => StoreRestore.RestoreSqliteAsync(folder, live, SchemaAssemblies, TimeProvider.System));

        Assert.That(refused!.Message, Does.Contain("stop the service first"));
        Assert.That(await EntriesAsync(database), Is.EqualTo(1), "the running service's store is still its own");
    }

    [Test]
    public async Task AfterARestore_TheChainsVerify_AndTheAssessmentIsWhatItWasAtTheBackup()
    {
        var data = NewFolder();
        string atBackup, atStop;
        var folder = BackupFolder();
        await using (var service = ServiceOn(data))
        {
            await BreachAsync(service, 3);
            atBackup = await AssessmentAsync(service);
            await StoreBackup.BackupSqliteAsync(service.Services.GetRequiredService<Database>(), folder, service.Time);
            await BreachAsync(service, 2);
            atStop = await AssessmentAsync(service);
        }

        SqliteConnection.ClearAllPools();
        var live = Path.Combine(data, "scoring.db");
        var restored = await StoreRestore.RestoreSqliteAsync(folder, live, SchemaAssemblies, TimeProvider.System);

        Assert.That(restored.ReplacedStore, Does.StartWith($"{live}.before-restore-"));
        Assert.That(File.Exists(restored.ReplacedStore), Is.True, "the replaced store is kept aside");
        Assert.That(File.GetUnixFileMode(live), Is.EqualTo(OwnerOnlyFiles.File));
        Assert.That(File.GetUnixFileMode(restored.ReplacedStore!), Is.EqualTo(OwnerOnlyFiles.File));
        await using (var service = ServiceOn(data))
        {
            var assessment = await AssessmentAsync(service);
            var chains = await service.Services.GetRequiredService<EvidenceVerifier>().VerifyAsync();

            Assert.That(atStop, Is.Not.EqualTo(atBackup), "deductions were recorded after the backup");
            Assert.That(assessment, Is.EqualTo(atBackup));
            Assert.That(chains.Select(c => (c.Chain, c.Intact)), Has.Member((DeductionLedger.LedgerChain, true)));
            Assert.That(chains, Has.All.Matches<ChainReport>(c => c.Intact));
            Assert.That(chains.Single(c => c.Chain == DeductionLedger.LedgerChain).Entries, Is.EqualTo(restored.Manifest.Chains.Single(c => c.Chain == DeductionLedger.LedgerChain).LastSeq));
        }
    }

    [TestCase("--url", "http://127.0.0.1:{0}")]
    [TestCase("urls", "http://*:{0};https://*:1")] // the service's own setting, as its launcher gives it
    public async Task AdminRestore_RefusesAServiceThatAnswersAtItsUrl_AndLeavesTheStoreAlone(string where, string url)
    {
        var (folder, live) = await BackupAndStopAsync();
        await MarkAsync(live);
        await using var running = new HealthAnswer();
        var at = string.Format(System.Globalization.CultureInfo.InvariantCulture, url, running.Port);

        var exitCode = where == "--url"
            ? await AdminAsync(Path.GetDirectoryName(live)!, null, "restore", "--from", folder, "--url", at)
            : await AdminAsync(Path.GetDirectoryName(live)!, at, "restore", "--from", folder);

        Assert.That(exitCode, Is.EqualTo(BackupCommands.Refused));
        Assert.That(await running.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo("GET /health/live HTTP/1.1"), "the command asked the service");
        Assert.That(await MarkOfAsync(live), Is.EqualTo(Mark), "the store is the one the service runs on");
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(live)!, "*.before-restore-*"), Is.Empty);
    }

    [Test]
    public async Task AdminRestore_RefusesWhenSomethingTakesTheConnection_ButDoesNotAnswer()
    {
        var (folder, live) = await BackupAndStopAsync();
        await MarkAsync(live);
        await using var busy = new HealthAnswer(silent: true);

        var exitCode = await AdminAsync(Path.GetDirectoryName(live)!, null, "restore", "--from", folder, "--url", $"http://127.0.0.1:{busy.Port}");

        Assert.That(exitCode, Is.EqualTo(BackupCommands.Refused), "a service too busy to answer is running all the same");
        Assert.That(await MarkOfAsync(live), Is.EqualTo(Mark));
    }

    [Test]
    public async Task AdminRestore_GoesOn_WhenNothingAnswersAtTheServicesUrl()
    {
        var (folder, live) = await BackupAndStopAsync();
        var data = Path.GetDirectoryName(live)!;
        await MarkAsync(live);

        var exitCode = await AdminAsync(data, null, "restore", "--from", folder, "--url", $"http://127.0.0.1:{ClosedPort()}");

        Assert.That(exitCode, Is.EqualTo(0));
        Assert.That(Directory.GetFiles(data, "*.before-restore-*"), Has.Length.EqualTo(1), "the store was replaced, the old one kept aside");
        Assert.That(await MarkOfAsync(live), Is.Zero, "the store is the backup's");
    }

    /// <summary>A mark in the store's header (SQLite's user_version, which the schema leaves at 0) that tells it from its backup.</summary>
    private const long Mark = 7;

    private static async Task MarkAsync(string store)
    {
        await using (var database = Database.ForSqliteFile(store))
        {
            await database.WriteAsync(t => t.Connection!.ExecuteAsync($"PRAGMA user_version = {Mark}", transaction: t));
        }

        SqliteConnection.ClearAllPools();
    }

    private static async Task<long> MarkOfAsync(string store)
    {
        long mark;
        await using (var database = Database.ForSqliteFile(store))
        {
            mark = await database.ReadAsync(c => c.ExecuteScalarAsync<long>("PRAGMA user_version"));
        }

        SqliteConnection.ClearAllPools();
        return mark;
    }

    /// <summary>Runs <c>admin</c> with these arguments as the scoring service's command line does, on the SQLite files in <paramref name="data"/>.</summary>
    private static async Task<int> AdminAsync(string data, string? urls, params string[] arguments)
    {
        string[] args = ["admin", .. arguments];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddServiceDefaults("scoring", "The scoring service.", args);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Database:DataDirectory"] = data, ["urls"] = urls });
        await using var app = builder.Build();
        var exitCode = await AdminCommand.RunAsync(app, args);
        SqliteConnection.ClearAllPools();
        return exitCode ?? throw new InvalidOperationException("not an admin command");
    }

    /// <summary>A port nothing listens on: one the system gave out and took back.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A running service as <c>admin restore</c> sees it: something on a loopback port that answers 200 to any GET, and tells which it was asked.</summary>
    /// <param name="silent">Takes the connection and reads the request, but never answers.</param>
    private sealed class HealthAnswer : IAsyncDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();
        private readonly Task answering;
        private readonly bool silent;

        public HealthAnswer(bool silent = false)
        {
            this.silent = silent;
            listener.Start();
            answering = AnswerAsync();
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        /// <summary>The request line of the first request.</summary>
        public TaskCompletionSource<string> Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private async Task AnswerAsync()
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    var stream = client.GetStream();
                    using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                    var requestLine = await reader.ReadLineAsync(stop.Token) ?? "";
                    while (!string.IsNullOrEmpty(await reader.ReadLineAsync(stop.Token)))
                    {
                    }

                    if (silent)
                    {
                        await Task.Delay(Timeout.Infinite, stop.Token);
                    }

                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 7\r\nConnection: close\r\n\r\nHealthy"), stop.Token);
                    Asked.TrySetResult(requestLine);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // stopped
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            listener.Stop();
            await answering;
            stop.Dispose();
        }
    }

    private static readonly System.Reflection.Assembly[] SchemaAssemblies = [typeof(Database).Assembly, typeof(DeductionLedger).Assembly];

    /// <summary>A backup of a scoring store with one breach, and that store with the service stopped.</summary>
    private async Task<(string Folder, string Live)> BackupAndStopAsync()
    {
        var data = NewFolder();
        var folder = BackupFolder();
        await using (var service = ServiceOn(data))
        {
            await BreachAsync(service, 1);
            await StoreBackup.BackupSqliteAsync(service.Services.GetRequiredService<Database>(), folder, service.Time);
        }

        SqliteConnection.ClearAllPools();
        var live = Path.Combine(data, "scoring.db");

        // The stopped store at rest, its write-ahead log in the file, as the restore's own check leaves it: the
        // tests compare the file's hash before and after.
        await using (var connection = new SqliteConnection($"Data Source={live};Pooling=False"))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        }

        return (folder, live);
    }
}
