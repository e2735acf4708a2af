using System.Globalization;
using System.Text.Json;
using System.Net.Http.Json;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.Faults.Tests;

/// <summary>
/// Two instances of each service, each service's pair sharing one PostgreSQL database of the test run's cluster, on
/// a broker of its own (OPS_SCALE_RABBITMQ_PORT, 5694 unless told): the instances of a service are competing consumers
/// of its queues and share its due clocks, owed notices and outbox.
/// </summary>
public sealed class ScaledSystem : IAsyncDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "ops-scale", Guid.NewGuid().ToString("N"));

    private ScaledSystem(Broker broker)
    {
        Broker = broker;
        Directory.CreateDirectory(dataDirectory);
        SlaTimers = [Service("sla-timer", "SlaTimer"), Service("sla-timer-2", "SlaTimer")];
        Scorings = [Service("scoring", "Scoring"), Service("scoring-2", "Scoring")];
        Tickets = [Service("tickets", "Tickets"), Service("tickets-2", "Tickets")];
        foreach (var scoring in Scorings)
        {
            scoring.Settings["Reports__Schedule"] = "false"; // a scheduled report is no part of what is measured
        }

        foreach (var tickets in Tickets)
        {
            tickets.Settings["Intake__RateLimit__PermitsPerSecond"] = "1000"; // the gateway's limit is not what is tested
            tickets.Settings["Intake__RateLimit__Burst"] = "1000";
        }
    }

    public Broker Broker { get; }

    public IReadOnlyList<ServiceProcess> SlaTimers { get; }

    public IReadOnlyList<ServiceProcess> Scorings { get; }

    public IReadOnlyList<ServiceProcess> Tickets { get; }

    /// <summary>The hotline gateway's client of each tickets instance, signed in with the intake role.</summary>
    public IReadOnlyList<HttpClient> Hotlines => hotlines;

    private readonly List<HttpClient> hotlines = [];

    private IEnumerable<ServiceProcess> All => [.. SlaTimers, .. Scorings, .. Tickets];

    /// <summary>The instances still running.</summary>
    public IEnumerable<ServiceProcess> Survivors => All.Where(s => s.ProcessId is not null);

    public static async Task<ScaledSystem> StartAsync()
    {
        var repository = TestRepository.Root;
        var port = int.Parse(Environment.GetEnvironmentVariable("OPS_SCALE_RABBITMQ_PORT") ?? "5694", CultureInfo.InvariantCulture);
        var directory = Environment.GetEnvironmentVariable("OPS_SCALE_RABBITMQ_DIR") ?? Path.Combine(repository, ".local", "scale-rabbitmq");
        var broker = new Broker(repository, port, directory);
        await broker.StopAsync(); // one an earlier run left behind, if any: every run starts on an empty broker
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        await broker.StartAsync();
        var system = new ScaledSystem(broker);
        try
        {
            foreach (var pair in new[] { system.SlaTimers, system.Scorings, system.Tickets })
            {
                await pair[0].UsePostgresAsync();
                pair[1].ShareStoreOf(pair[0]);
            }

            // The first of each applies the schema; the second then starts against it (both would also be safe: the scripts run under a lock).
            await Task.WhenAll(system.SlaTimers[0].StartAsync(), system.Scorings[0].StartAsync());
            await Task.WhenAll(system.SlaTimers[1].StartAsync(), system.Scorings[1].StartAsync());
            await Task.WhenAll(system.Tickets.Select(t => t.StartAsync()));
            foreach (var tickets in system.Tickets)
            {
                var hotline = new HttpClient { BaseAddress = tickets.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
                hotline.As(Roles.Intake, "扩展测试热线网关");
                system.hotlines.Add(hotline);
            }

            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until nothing is on its way: every running instance's outbox is empty and no message waits in, or is handled from, a queue.</summary>
    public Task QuietAsync(TimeSpan within) => Quiet.WaitAsync(Survivors, Broker, within);

    /// <summary>The last lines each instance logged, for a failure's message.</summary>
    public string Tails() => string.Join('\n', All.Select(s => $"--- {s.Name} ---\n{s.Tail()}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var hotline in hotlines)
        {
            hotline.Dispose();
        }

        // The second instances first: the first ones own the databases and drop them.
        foreach (var service in All.Reverse())
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

    private ServiceProcess Service(string name, string folder)
    {
        var service = new ServiceProcess(name, folder, TestRepository.Root, dataDirectory, Broker);
        service.Settings["Logging__LogLevel__Default"] = "Warning";
        return service;
    }
}
