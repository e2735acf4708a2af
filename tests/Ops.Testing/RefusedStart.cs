using System.Diagnostics;

namespace Ops.Testing;

/// <summary>A service's built program run as a process that must refuse to start.</summary>
public static class RefusedStart
{
    /// <summary>
    /// Runs a service's built program with extra environment variables (and the test run's keys) until it ends
    /// by itself; returns its exit code and what it printed. For a service that must refuse to start.
    /// </summary>
    /// <param name="arguments">The command line; none: start the service on a free port.</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(string folder, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ops.sln")))
        {
            directory = directory.Parent;
        }

        var dll = Path.Combine(directory!.FullName, "services", folder, "bin", TestRepository.Configuration, "net10.0", $"Ops.{folder}.dll");
        var data = TestFolder.Create();
        var start = new ProcessStartInfo("dotnet", [dll, .. arguments.Length > 0 ? arguments : ["--urls", "http://127.0.0.1:0"]])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Database__DataDirectory"] = data;
        start.Environment["RabbitMq__Username"] = "unused";
        start.Environment["RabbitMq__Password"] = "unused";
        start.Environment["Auth__SigningKey"] = TestSecrets.SigningKey;
        start.Environment["Audit__ChainKey"] = TestSecrets.ChainKey;
        start.Environment["PersonalData__Key"] = TestSecrets.PersonalDataKey;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Ops.{folder} did not end within 60 s: it started instead of refusing its settings.");
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }

        return (process.ExitCode, await output + await error);
    }
}
