using System.Text.Json;

namespace Ops.EndToEnd.Tests;

/// <summary>
/// What keeps the system small and quick to recover, as deployed: each service's collector settings, and
/// the broker keeping every queue's backlog on disk.
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
