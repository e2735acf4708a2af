using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.Faults.Tests;

/// <summary>
/// The system the kill tests break: a broker of its own (OPS_FAULTS_RABBITMQ_PORT, 5693 unless told, state in
/// OPS_FAULTS_RABBITMQ_DIR or .local/faults-rabbitmq), never the run's broker the other suites share, and the three
/// services as processes on a data directory of their own. What it reads back to judge a run is what the people see: the tickets' list, scoring's
/// dashboard and ledger.
/// </summary>
public sealed class KilledSystem : IAsyncDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "ops-faults", Guid.NewGuid().ToString("N"));

    private KilledSystem(Broker broker)
    {
        Broker = broker;
        Directory.CreateDirectory(dataDirectory);
        SlaTimer = Service("sla-timer", "SlaTimer");
        Scoring = Service("scoring", "Scoring");
        Scoring.Settings["Reports__Schedule"] = "false"; // a scheduled report is no part of what is measured
        Tickets = Service("tickets", "Tickets");
        Tickets.Settings["Intake__RateLimit__PermitsPerSecond"] = "1000"; // the gateway's limit is not what is tested
        Tickets.Settings["Intake__RateLimit__Burst"] = "1000";
    }

    public Broker Broker { get; }

    public ServiceProcess Tickets { get; }

    public ServiceProcess SlaTimer { get; }

    public ServiceProcess Scoring { get; }

    /// <summary>The services in the order they are killed.</summary>
    public IReadOnlyList<ServiceProcess> Services => [Tickets, SlaTimer, Scoring];

    /// <summary>The hotline gateway, signed in with the intake role; it waits 10 s for an answer before it sends again.</summary>
    public HttpClient Hotline { get; } = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<KilledSystem> StartAsync()
    {
        var repository = FindRepository();
        var port = int.Parse(Environment.GetEnvironmentVariable("OPS_FAULTS_RABBITMQ_PORT") ?? "5693", CultureInfo.InvariantCulture);
        var directory = Environment.GetEnvironmentVariable("OPS_FAULTS_RABBITMQ_DIR") ?? Path.Combine(repository, ".local", "faults-rabbitmq");
        var broker = new Broker(repository, port, directory);
        if (broker.VirtualMachine() is not null)
        {
            await broker.StopAsync(); // one an earlier run left behind: every run starts on an empty broker
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        await broker.StartAsync();
        var system = new KilledSystem(broker);
        try
        {
            // Side by side: nothing is reported before all three are ready, so every queue exists by then.
            await Task.WhenAll(system.SlaTimer.StartAsync(), system.Scoring.StartAsync(), system.Tickets.StartAsync());
            system.Hotline.BaseAddress = system.Tickets.BaseAddress;
            system.Hotline.As(Roles.Intake, "故障注入热线网关");
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    /// <summary>The tickets the tickets service lists as reported in the load's window, by id (a ticket listed twice fails).</summary>
    public async Task<IReadOnlyList<Guid>> TicketsOfAsync(ReportLoad load)
    {
        var ids = new List<Guid>();
        for (var offset = 0; ; offset += 200)
        {
            var page = await Tickets.Http.GetFromJsonAsync<JsonElement>($"api/tickets?limit=200&offset={offset}&{Window(load)}");
            var items = page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList();
            ids.AddRange(items);
            if (items.Count < 200)
            {
                return ids;
            }
        }
    }

    /// <summary>The faults scoring's dashboard counts as reported in the load's window, and their open breaches.</summary>
    public async Task<(long Faults, long OpenBreaches)> DashboardOfAsync(ReportLoad load)
    {
        var dashboard = await Scoring.Http.GetFromJsonAsync<JsonElement>($"api/dashboard/sla?{Window(load)}");
        return (dashboard.GetProperty("faults").GetInt64(), dashboard.GetProperty("openBreaches").GetInt64());
    }

    /// <summary>Every entry of scoring's ledger: its source, the ticket it concerns and the clock.</summary>
    public async Task<IReadOnlyList<(string Source, Guid? TicketId, string? Clock)>> LedgerAsync()
    {
        var entries = new List<(string, Guid?, string?)>();
        string after = "";
        while (true)
        {
            var page = await Scoring.Http.GetFromJsonAsync<JsonElement>($"api/ledger?limit=200{after}");
            entries.AddRange(page.GetProperty("items").EnumerateArray().Select(e => (
                e.GetProperty("source").GetString()!,
                e.GetProperty("ticketId").ValueKind == JsonValueKind.Null ? (Guid?)null : e.GetProperty("ticketId").GetGuid(),
                e.GetProperty("clock").GetString())));
            if (page.GetProperty("next").ValueKind == JsonValueKind.Null)
            {
                return entries;
            }

            after = $"&after={page.GetProperty("next").GetInt64()}";
        }
    }

    /// <summary>
    /// Waits until nothing is on its way: every service's outbox is empty (as its readiness counts it) and no message
    /// waits in, or is being handled from, the service queues.
    /// </summary>
    public Task QuietAsync(TimeSpan within) => Quiet.WaitAsync(Services, Broker, within);

    /// <summary>The last lines each service logged, for a failure's message.</summary>
    public string Tails() => string.Join('\n', Services.Select(s => $"--- {s.Name} ---\n{s.Tail()}"));

    public async ValueTask DisposeAsync()
    {
        Hotline.Dispose();
        foreach (var service in Services)
        {
            await service.DisposeAsync();
        }

        await Broker.StopAsync();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Window(ReportLoad load) =>
        $"from={Uri.EscapeDataString(load.ReportedFrom.ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(load.ReportedTo.ToString("O", CultureInfo.InvariantCulture))}";

    private ServiceProcess Service(string name, string folder)
    {
        var service = new ServiceProcess(name, folder, FindRepository(), dataDirectory, Broker);
        service.Settings["Logging__LogLevel__Default"] = "Warning"; // 50 reports a second: the log keeps what went wrong
        return service;
    }

    private static string FindRepository()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ops.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Run the fault tests from inside the repository.");
    }
}
