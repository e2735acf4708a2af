using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Net.Sockets;
using System.Text.Json;

namespace Ops.Testing;

/// <summary>One service as a real process: its own port, its own data directory, the test broker.</summary>
public sealed class ServiceProcess(string name, string folder, string repository, string dataDirectory, Broker broker) : IAsyncDisposable
{
    private Process? process;
    private HttpClient? http;

    /// <summary>The services started and not yet ended, which end with the process that started them (see <see cref="EndWithHost"/>).</summary>
    private static readonly ConcurrentDictionary<ServiceProcess, bool> Started = new();

    private static readonly PosixSignalRegistration[] HostStops =
        [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT }.Select(signal => PosixSignalRegistration.Create(signal, _ => EndAll()))];

    public string Name { get; } = name;

    public int Port { get; } = FreePort();

    /// <summary>A client of the service's HTTP API.</summary>
    public HttpClient Http => http ??= Client();

    public string LogFile => Path.Combine(dataDirectory, $"{Name}.log");

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>More configuration for the process, as environment variables (<c>Section__Key</c>).</summary>
    public Dictionary<string, string> Settings { get; } = [];

    private (string Name, string ConnectionString)? postgres;

    /// <summary>Runs the service on a PostgreSQL database of its own in the test run's cluster (dropped at dispose) instead of its SQLite file.</summary>
    public async Task UsePostgresAsync()
    {
        postgres = await PostgresServer.CreateDatabaseAsync($"ops_{Name.Replace('-', '_')}");
        Settings["ConnectionStrings__Postgres"] = postgres.Value.ConnectionString;
    }

    /// <summary>Runs the service on a PostgreSQL database another instance owns (<see cref="UsePostgresAsync"/>): instances of one service share their store.</summary>
    public void ShareStoreOf(ServiceProcess first)
    {
        Settings["ConnectionStrings__Postgres"] = first.Settings["ConnectionStrings__Postgres"];
        shared = first;
    }

    private ServiceProcess? shared;

    /// <summary>The store the service runs on, for a test to read (or tamper with): its own PostgreSQL database, or its SQLite file.</summary>
    public Ops.Hosting.Storage.Database Store() => shared is not null ? shared.Store()
        : postgres is { } database ? new Ops.Hosting.Storage.Database(Ops.Hosting.Storage.SqlProvider.Postgres, database.ConnectionString)
        : Ops.Hosting.Storage.Database.ForSqliteFile(Path.Combine(dataDirectory, $"{Name}.db"));

    private string Dll
    {
        get
        {
                return Path.Combine(repository, "services", folder, "bin", TestRepository.Configuration, "net10.0", $"Ops.{folder}.dll");
        }
    }

    /// <summary>The runtime settings the service's build carries (garbage collector, compilation).</summary>
    public string RuntimeConfigFile => Path.ChangeExtension(Dll, ".runtimeconfig.json");

    /// <summary>The service's configuration: the test broker, its own data directory, the run's keys.</summary>
    private ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Dll, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDirectory,
        };
        start.Environment["RabbitMq__Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["RabbitMq__Username"] = broker.User;
        start.Environment["RabbitMq__Password"] = broker.Password;
        start.Environment["Database__DataDirectory"] = dataDirectory;
        start.Environment["Auth__SigningKey"] = TestSecrets.SigningKey;
        start.Environment["Audit__ChainKey"] = TestSecrets.ChainKey;
        start.Environment["PersonalData__Key"] = TestSecrets.PersonalDataKey;
        // Memory settings as production's (deploy/production/systemd, docs/performance.md#memory-over-long-runs).
        start.Environment["MALLOC_ARENA_MAX"] = "2";
        start.Environment["DOTNET_GCGen1MaxBudget"] = "400000";
        // The young generation fixed (32 MB, the console's 4 MB) and 1 MB regions, as deploy/services.sh and the systemd units set them.
        start.Environment["DOTNET_GCgen0size"] = folder != "Console" ? "2000000" : "400000";
        start.Environment["DOTNET_GCRegionSize"] = "100000";

        foreach (var (key, value) in Settings)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>Runs one of the service's admin commands against its data; returns the exit code and what it printed.</summary>
    public async Task<(int ExitCode, string Output)> AdminAsync(params string[] arguments)
    {
        // Administrators run these with the database and the keys only: no broker settings.
        var start = StartInfo(["admin", .. arguments]);
        foreach (var setting in start.Environment.Keys.Where(k => k.StartsWith("RabbitMq__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(setting);
        }

        using var command = Process.Start(start)!;
        var output = command.StandardOutput.ReadToEndAsync();
        var error = command.StandardError.ReadToEndAsync();
        await command.WaitForExitAsync();
        return (command.ExitCode, await output + await error);
    }

    /// <summary>The operating system's id of the running process.</summary>
    public int? ProcessId => process is { HasExited: false } ? process.Id : null;

    /// <summary>How long the last start took, from launching the process to its readiness.</summary>
    public TimeSpan StartUpTime { get; private set; }

    /// <summary>Starts the process and waits until the named readiness checks are healthy (database, bus and outbox unless told).</summary>
    public async Task StartAsync(params string[] readyChecks)
    {
        var started = Stopwatch.StartNew();
        process = Process.Start(StartInfo(["--urls", BaseAddress.ToString().TrimEnd('/')]))!;
        EndWithHost();
        var log = new StreamWriter(LogFile, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitReadyAsync(readyChecks.Length > 0 ? readyChecks : ["database", "bus", "outbox"]);
        StartUpTime = started.Elapsed;
    }

    /// <summary>
    /// The service ends with the process that started it, also when that one is stopped by a signal (a timeout,
    /// Ctrl+C, pkill) before it could dispose of it; otherwise the service would run on against the next run's
    /// broker port.
    /// </summary>
    private void EndWithHost()
    {
        _ = HostStops;
        Started[this] = true;
    }

    private static void EndAll()
    {
        foreach (var service in Started.Keys)
        {
            try
            {
                if (service.process is { HasExited: false } running)
                {
                    running.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // it ended meanwhile
            }
        }
    }

    /// <summary>Ends the process at once, as a crash or a power cut would.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>A client signed in as a manager.</summary>
    public HttpClient Client() => Anonymous().As(Ops.Hosting.Security.Roles.Manager, "e2e manager");

    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Ready means the database answers and the bus is connected with the service's queue declared (the
    /// error queue may hold what an earlier test parked there on purpose).
    /// </summary>
    private async Task WaitReadyAsync(string[] readyChecks)
    {
        using var client = Anonymous();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (process!.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode}:\n{Tail()}");
            }

            try
            {
                var checks = JsonDocument.Parse(await client.GetStringAsync("health/ready")).RootElement.GetProperty("checks");
                if (readyChecks.All(c => checks.GetProperty(c).GetProperty("status").GetString() == "Healthy"))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{Name} is not ready after 60 s:\n{Tail()}");
    }

    public string Tail() => File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(30)) : "(no log)";

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Started.TryRemove(this, out _);
        process?.Dispose();
        http?.Dispose();
        if (postgres is { } database)
        {
            await PostgresServer.DropDatabaseAsync(database.Name);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
