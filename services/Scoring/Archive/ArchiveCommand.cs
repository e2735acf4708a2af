using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Ops.Hosting;
using Ops.Hosting.Archive;
using Ops.Hosting.Contracts;
using Ops.Hosting.Http;
using Ops.Hosting.Security;

namespace Ops.Scoring.Archive;

/// <summary>
/// <c>admin archive --contract OTQ-2026-OPS --year 2026 --to FILE</c>: makes the yearly archive into a file, as
/// <c>GET /api/archive</c> does, with a short-lived auditor's token the command issues itself (the tickets and sla-timer
/// services must be running and share <c>Auth:SigningKey</c>). The file appears only once it is whole; Ctrl+C or SIGTERM
/// stops it and leaves no file.
/// </summary>
public static class ArchiveCommand
{
    public const string Verb = "archive";

    /// <summary>Prints the public half of the configured <c>Archive:SigningKey</c>, as PEM.</summary>
    public static async Task<int> PublicKey(IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output)
    {
        var settings = services.GetRequiredService<IOptions<ArchiveOptions>>().Value;
        if (!settings.HasSigningKey)
        {
            throw new ArgumentException("Archive:SigningKey (Archive__SigningKey) is not configured here; admin new-archive-key makes a key pair.");
        }

        using var key = settings.OpenSigningKey();
        await output.WriteLineAsync(key.ExportSubjectPublicKeyInfoPem());
        return 0;
    }

    /// <summary>The command as the administrator runs it: Ctrl+C or SIGTERM stops it (a second one ends the process at once).</summary>
    public static async Task<int> Run(IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output)
    {
        using var stopping = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = !stopping.IsCancellationRequested;
            stopping.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return await RunAsync(services, options, output, Console.Error, stopping.Token);
    }

    /// <summary>Makes the archive into <c>--to</c>; cancelled, it deletes the partial file, says <c>Not archived: cancelled</c> and answers 1.</summary>
    public static async Task<int> RunAsync(
        IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var year = ServiceYear.Parse(options.GetValueOrDefault("contract"), options.Required("year"), services.GetRequiredService<ContractsFile>(), Scope.All, errors);
        if (year is null)
        {
            throw new ArgumentException(string.Join(" ", errors.ToDictionary().Select(e => $"--{e.Key}: {string.Join(" ", e.Value)}")));
        }

        var path = Path.GetFullPath(options.Required("to"));
        if (!services.GetRequiredService<IOptions<ArchiveOptions>>().Value.HasSigningKey)
        {
            throw new ArgumentException("Archive:SigningKey (Archive__SigningKey) is not configured; admin new-archive-key makes a key pair.");
        }

        if (string.IsNullOrWhiteSpace(services.GetRequiredService<IOptions<AuthOptions>>().Value.SigningKey))
        {
            throw new ArgumentException("Auth:SigningKey is not configured: the command cannot issue itself a token for the other services (with a single sign-on, download GET /api/archive instead).");
        }

        var by = new Actor("admin-cli:archive", "admin archive");
        var token = services.GetRequiredService<TokenIssuer>().Issue(by.Id, by.Name, Roles.Auditor, TimeSpan.FromHours(6), Scope.All);
        var credentials = ArchiveApi.Bearer(token);
        var assembler = services.GetRequiredService<ArchiveAssembler>();
        var partial = path + ".partial";
        try
        {
            var plan = await assembler.PlanAsync(year, credentials, cancellationToken);
            ArchiveManifest manifest;
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                manifest = await assembler.WriteAsync(plan, credentials, by, file, cancellationToken);
            }

            File.Move(partial, path, overwrite: true);
            await output.WriteLineAsync($"Archived {manifest.Contract} service year {manifest.Year} ({manifest.FirstDay:yyyy-MM-dd} – {manifest.LastDay:yyyy-MM-dd}) to {path}: {manifest.Files.Count} files, {new FileInfo(path).Length} bytes");
            foreach (var chain in manifest.Chains)
            {
                await output.WriteLineAsync($"  chain {chain.Service}/{chain.Chain}: {chain.LastSeq} entries, head {chain.LastHash}");
            }

            return 0;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Whatever broke off once the administrator stopped it, the command was cancelled.
            Discard(partial);
            await error.WriteLineAsync("Not archived: cancelled");
            return 1;
        }
        catch (Exception e) when (e is ArchivePartUnavailableException or IOException or UnauthorizedAccessException or HttpRequestException)
        {
            Discard(partial);
            await error.WriteLineAsync($"Not archived: {e.Message}");
            return 1;
        }
    }

    /// <summary>Removes what was written of the archive, if anything was.</summary>
    private static void Discard(string partial)
    {
        if (File.Exists(partial))
        {
            File.Delete(partial);
        }
    }
}
