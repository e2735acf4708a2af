using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Ops.Hosting.Storage;

namespace Ops.Console.Hosting;

/// <summary>
/// The keys that sign the session and antiforgery cookies, kept in the folder <c>Console:DataProtectionKeys</c>
/// (owner only), so a restart or an update signs nobody out.
/// </summary>
public static class SessionKeys
{
    /// <summary>The keys' purpose name: another application's keys in the same folder can never read the console's cookies.</summary>
    public const string ApplicationName = "ops-console";

    /// <summary>Beside the services' data: <c>{Database:DataDirectory}/console-keys</c>.</summary>
    public static string DefaultFolder(IConfiguration configuration) => Path.Combine(configuration["Database:DataDirectory"] is { Length: > 0 } data ? data : "data", "console-keys");

    public static IServiceCollection AddSessionKeys(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<ConsoleOptions>, ILoggerFactory>((keys, console, logs) =>
            keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.GetFullPath(console.Value.DataProtectionKeys!)), logs));
        return services;
    }

    /// <summary>Creates the folder owner-only (0700), tightens one that exists with its keys (0600), and proves it writable; the reason when not.</summary>
    public static string? Prepare(string folder)
    {
        try
        {
            var path = Path.GetFullPath(folder);
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else if (Directory.Exists(path))
            {
                File.SetUnixFileMode(path, OwnerOnlyFiles.Folder);
                foreach (var key in Directory.EnumerateFiles(path))
                {
                    File.SetUnixFileMode(key, OwnerOnlyFiles.File);
                }
            }
            else
            {
                Directory.CreateDirectory(path, OwnerOnlyFiles.Folder);
            }

            var probe = Path.Combine(path, $".write-test-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return e.Message;
        }
    }
}
