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
