using System.Text.Json;

namespace Ops.EndToEnd.Tests;

/// <summary>
/// What keeps the system small and quick to recover, as deployed: each service's collector settings, the
/// broker's share of the cores, and the broker keeping every queue's backlog on disk.
/// </summary>
public class FootprintTests
{
    [Test]
    public void EveryService_CollectsOnOneHeapWithoutBackgroundMarking_AndAYoungGenerationOf32MBAtMost()
    {
        foreach (var service in new[] { SystemUnderTest.Tickets, SystemUnderTest.SlaTimer, SystemUnderTest.Scoring })
        {
            using var runtimeConfig = JsonDocument.Parse(File.ReadAllText(service.RuntimeConfigFile));
            var settings = runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

            Assert.That(settings.GetProperty("System.GC.Server").GetBoolean(), Is.False, service.Name);
            Assert.That(settings.GetProperty("System.GC.Concurrent").GetBoolean(), Is.False, service.Name);
            Assert.That(settings.TryGetProperty("System.GC.Gen0MaxBudget", out var budget), Is.True, $"{service.Name}: {settings}");
            Assert.That(budget.GetInt64(), Is.EqualTo(32L * 1024 * 1024), service.Name);
        }
    }

    /// <summary>
    /// The sla-timer and scoring compile every method optimized at its first call: no late recompilation of the dashboards'
    /// APIs growing native memory minutes into a run, no report run in unoptimized code (docs/performance.md#runtime-settings).
    /// </summary>
    [Test]
    public void TheSlaTimerAndScoring_RunWithoutTieredCompilation_TicketsWithIt()
    {
        foreach (var (service, tiered) in new[] { (SystemUnderTest.Tickets, true), (SystemUnderTest.SlaTimer, false), (SystemUnderTest.Scoring, false) })
        {
            using var runtimeConfig = JsonDocument.Parse(File.ReadAllText(service.RuntimeConfigFile));
            var settings = runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
            var setting = settings.TryGetProperty("System.Runtime.TieredCompilation", out var value) ? value.GetBoolean() : true;
            Assert.That(setting, Is.EqualTo(tiered), service.Name);
        }
    }

    /// <summary>
    /// The memory settings only the environment carries (docs/performance.md#runtime-settings) are production's wherever
    /// a service starts: the systemd units, <c>deploy/services.sh</c>, and the services this run started.
    /// </summary>
    [Test]
    public void EveryService_StartsWithProductionsMemorySettings_AYoungGenerationFixedAt32MBAndTheConsolesAt4MB()
    {
        var services = File.ReadAllText(Path.Combine(SystemUnderTest.Repository, "deploy", "services.sh"));
        foreach (var service in new[] { SystemUnderTest.Tickets, SystemUnderTest.SlaTimer, SystemUnderTest.Scoring })
        {
            var unit = UnitEnvironment(service.Name);
            // Only the memory settings: the rest of a service's environment holds its keys.
            var running = File.ReadAllText($"/proc/{service.ProcessId}/environ").Split('\0')
                .Where(e => e.StartsWith("MALLOC_", StringComparison.Ordinal) || e.StartsWith("DOTNET_GC", StringComparison.Ordinal))
                .ToList();

            Assert.That(unit, Does.ContainKey("DOTNET_GCgen0size").WithValue("2000000"), service.Name);
            Assert.That(unit, Does.ContainKey("DOTNET_GCRegionSize").WithValue("100000"), service.Name);
            foreach (var (key, value) in unit.Where(e => e.Key is "MALLOC_ARENA_MAX" or "DOTNET_GCGen1MaxBudget" or "DOTNET_GCgen0size" or "DOTNET_GCRegionSize"))
            {
                Assert.That(running, Does.Contain($"{key}={value}"), $"{service.Name} as this run started it");
                Assert.That(services, Does.Contain($"{key}={value}"), "deploy/services.sh");
            }
        }

        // The console allocates so little that a young generation of 32 MB took tens of minutes to fill: 4 MB. Its heap
        // is committed in 1 MB regions too: with 4 MB ones it stepped up a region in the middle of a soak.
        var console = UnitEnvironment("console");
        Assert.That(console, Does.ContainKey("DOTNET_GCgen0size").WithValue("400000"));
        Assert.That(console, Does.ContainKey("DOTNET_GCRegionSize").WithValue("100000"));
        Assert.That(services, Does.Contain("DOTNET_GCgen0size=400000 Database__DataDirectory"), "deploy/services.sh starts the console so");
        Assert.That(services, Does.Contain("export MALLOC_ARENA_MAX=2 DOTNET_GCGen1MaxBudget=400000 DOTNET_GCRegionSize=100000"),
            "deploy/services.sh sets what every process shares, the console's included, before it starts one");
    }

    private static Dictionary<string, string> UnitEnvironment(string service) =>
        File.ReadLines(Path.Combine(SystemUnderTest.Repository, "deploy", "production", "systemd", $"ops-{service}@.service"))
            .Where(line => line.StartsWith("Environment=", StringComparison.Ordinal))
            .SelectMany(line => line["Environment=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);

    [Test]
    public void TheBroker_RunsOneSchedulerForEveryTwoCores_LeavingTheRestToTheServices()
    {
        var vm = SystemUnderTest.Broker.VirtualMachine()?.Arguments;
        var schedulers = Environment.GetEnvironmentVariable("OPS_RABBITMQ_SCHEDULERS") is { Length: > 0 } set
            ? int.Parse(set, System.Globalization.CultureInfo.InvariantCulture)
            : Math.Max(1, (Environment.ProcessorCount + 1) / 2);

        Assert.That(vm, Is.Not.Null, $"no Erlang VM of the broker in {SystemUnderTest.Broker.Directory}");
        var flag = Array.IndexOf(vm!, "-S");
        Assert.That(flag, Is.GreaterThanOrEqualTo(0), string.Join(' ', vm));
        Assert.That(vm[flag + 1], Is.EqualTo($"{schedulers}:{schedulers}"));
    }

    [Test]
    public async Task EveryServiceQueue_KeepsItsBacklogOnDisk()
    {
        var queues = await SystemUnderTest.Broker.QueuesAsync();

        foreach (var name in new[] { "tickets", "sla-timer", "scoring" })
        {
            var queue = queues.SingleOrDefault(q => q.Name == name);
            Assert.That(queue, Is.Not.Null, $"{name}: {string.Join(", ", queues)}");
            Assert.That(queue!.Policy, Is.EqualTo("backlogs-on-disk"), name);
        }
    }
}
