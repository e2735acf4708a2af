using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Ops.Hosting.Admin;

/// <summary>
/// PostgreSQL's own <c>pg_dump</c> and <c>pg_restore</c>, run against the service's database with its connection settings: the
/// password goes in the tool's environment, never on its command line, where anyone on the machine could read it.
/// </summary>
internal static class PostgresTools
{
    /// <summary>Where Debian's packages put each major version's tools when they are not on the path.</summary>
    private const string Installed = "/usr/lib/postgresql";

    /// <summary>The tool on the path, else the newest version's in <c>/usr/lib/postgresql/*/bin</c>.</summary>
    public static string Find(string tool)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, tool))
            .FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            return onPath;
        }

        var newest = Directory.Exists(Installed)
            ? Directory.GetDirectories(Installed)
                .Select(folder => (Version: int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : -1, Path: Path.Combine(folder, "bin", tool)))
                .Where(found => found.Version >= 0 && File.Exists(found.Path))
                .OrderByDescending(found => found.Version)
                .Select(found => found.Path)
                .FirstOrDefault()
            : null;
        return newest ?? throw new BackupRefusedException($"{tool} is neither on the path nor in {Installed}/*/bin: install PostgreSQL's client tools (postgresql-client) first.");
    }

    /// <summary>Runs <paramref name="tool"/> with <paramref name="arguments"/> against the database of <paramref name="settings"/>.</summary>
    /// <exception cref="IOException">The tool failed; its own message says why.</exception>
    public static async Task RunAsync(string tool, IEnumerable<string> arguments, NpgsqlConnectionStringBuilder settings, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Find(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in LibpqVariables(settings))
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new IOException($"{tool} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new IOException($"{tool} failed (exit code {process.ExitCode}): {(await error).Trim()} {(await output).Trim()}".TrimEnd());
        }
    }

    /// <summary>libpq's variables for the settings that Npgsql's connection string holds.</summary>
    private static IEnumerable<(string Name, string Value)> LibpqVariables(NpgsqlConnectionStringBuilder settings)
    {
        yield return ("PGHOST", settings.Host ?? "localhost");
        yield return ("PGPORT", settings.Port.ToString(CultureInfo.InvariantCulture));
        yield return ("PGDATABASE", settings.Database ?? settings.Username ?? "");
        yield return ("PGAPPNAME", "ops-admin");
        yield return ("PGCONNECT_TIMEOUT", Math.Max(2, settings.Timeout).ToString(CultureInfo.InvariantCulture));
        yield return ("PGSSLMODE", settings.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        });
        if (!string.IsNullOrEmpty(settings.Username))
        {
            yield return ("PGUSER", settings.Username);
        }

        if (!string.IsNullOrEmpty(settings.Password))
        {
            yield return ("PGPASSWORD", settings.Password);
        }

        if (!string.IsNullOrEmpty(settings.Passfile))
        {
            yield return ("PGPASSFILE", settings.Passfile);
        }
    }
}
