using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ops.Hosting.Storage;

namespace Ops.Hosting.Admin;

/// <summary>
/// <c>admin backup --to DIR [--server-folder DIR]</c> and <c>admin restore --from DIR [--url http://127.0.0.1:5101]</c>
/// (docs/operations.md#backup-and-restore). A refusal prints why and ends with exit code 3, a disk's failure with 1,
/// both having changed nothing.
/// </summary>
public static class BackupCommands
{
    public const int Refused = 3;

    public static async Task<int> Backup(IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output)
    {
        var database = services.GetRequiredService<Database>();
        var time = services.GetRequiredService<TimeProvider>();
        var folder = Path.GetFullPath(options.Required("to"));
        try
        {
            var manifest = database.Provider switch
            {
                SqlProvider.Sqlite => await StoreBackup.BackupSqliteAsync(database, folder, time),
                SqlProvider.Postgres => await StoreBackup.BackupPostgresAsync(database, ServiceName(services), folder, time),
                _ => await StoreBackup.BackupSqlServerAsync(database, ServiceName(services), options.Required("server-folder"), folder, time),
            };
            await output.WriteLineAsync($"Backed up {manifest.Service} ({manifest.Provider}) as of {manifest.CreatedAt:O} to {folder}");
            await WriteFactsAsync(manifest, output);
            return 0;
        }
        catch (BackupRefusedException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return Refused;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"Not backed up: {e.Message}");
            return 1;
        }
    }

    public static async Task<int> Restore(IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output)
    {
        var database = services.GetRequiredService<Database>();
        var folder = Path.GetFullPath(options.Required("from"));
        try
        {
            if (database.Provider == SqlProvider.SqlServer)
            {
                throw new BackupRefusedException("A SQL Server store is restored by the database administrator with RESTORE DATABASE (docs/operations.md#backup-and-restore).");
            }

            await RefuseWhenAnsweringAsync(options.GetValueOrDefault("url") ?? services.GetRequiredService<IConfiguration>()["urls"]);
            if (database.Provider == SqlProvider.Postgres)
            {
                var manifest = await StoreRestore.RestorePostgresAsync(folder, database, ServiceName(services), services.GetRequiredService<SchemaMigration>().Assemblies);
                await output.WriteLineAsync($"Restored {manifest.Service} as of {manifest.CreatedAt:O} into {database.Describe()}");
                await WriteFactsAsync(manifest, output);
                await output.WriteLineAsync("Next: start the service (it brings the schema up to date), then run admin verify-chains.");
                return 0;
            }

            var live = await StoreBackup.SqliteFileAsync(database);

            // This command's own connections (the schema check before it) are closed, so only a running service holds the store.
            await database.DisposeAsync();
            SqliteConnection.ClearAllPools();
            var restored = await StoreRestore.RestoreSqliteAsync(folder, live, services.GetRequiredService<SchemaMigration>().Assemblies, services.GetRequiredService<TimeProvider>());
            await output.WriteLineAsync($"Restored {restored.Manifest.Service} as of {restored.Manifest.CreatedAt:O} into {live}");
            if (restored.ReplacedStore is { } aside)
            {
                await output.WriteLineAsync($"The store it replaced: {aside}");
            }

            await WriteFactsAsync(restored.Manifest, output);
            await output.WriteLineAsync("Next: start the service (it brings the schema up to date), then run admin verify-chains.");
            return 0;
        }
        catch (BackupRefusedException e)
        {
            await Console.Error.WriteLineAsync($"Not restored: {e.Message}");
            return Refused;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The store is moved aside only once the copy is whole, and moved back on a failure: it is as it was.
            await Console.Error.WriteLineAsync($"Not restored, the store is as it was: {e.Message}");
            return 1;
        }
    }

    /// <summary>A service that answers its health check is running: its store is not replaced under it.</summary>
    private static async Task RefuseWhenAnsweringAsync(string? urls)
    {
        var url = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (url is null || !Uri.TryCreate(url.Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal), UriKind.Absolute, out var service))
        {
            return;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var answer = await http.GetAsync(new Uri(service, "/health/live"));
            throw new BackupRefusedException($"The service answers at {service} ({(int)answer.StatusCode}): stop it first, then restore.");
        }
        catch (TaskCanceledException)
        {
            // Something took the connection and said nothing: a busy service is running all the same.
            throw new BackupRefusedException($"Something listens at {service} but did not answer within {http.Timeout.TotalSeconds:0} s: stop the service first, then restore.");
        }
        catch (HttpRequestException)
        {
            // nothing answers: stopped
        }
    }

    private static string ServiceName(IServiceProvider services) => services.GetRequiredService<IHostEnvironment>().ApplicationName;

    private static async Task WriteFactsAsync(BackupManifest manifest, TextWriter output)
    {
        await output.WriteLineAsync($"  schema: {string.Join(", ", manifest.Schema.Select(s => $"{s.Component} {s.Version}"))}");
        foreach (var chain in manifest.Chains)
        {
            await output.WriteLineAsync($"  chain {chain.Chain}: {chain.LastSeq} entries, head {chain.LastHash}");
        }

        foreach (var file in manifest.Files)
        {
            await output.WriteLineAsync($"  {file.Name}: {file.Bytes} bytes, sha256 {file.Sha256}");
        }

        if (manifest.ServerFile is { } serverFile)
        {
            await output.WriteLineAsync($"  on the server: {serverFile}");
        }
    }
}
