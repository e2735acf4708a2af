using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Ops.Hosting.Messaging;

namespace Ops.EndToEnd.Tests;

/// <summary>Readiness is probed every few seconds for years: a probe keeps nothing of itself in the service.</summary>
public class ReadinessProbeTests
{
    [Test]
    public async Task TheErrorQueueCheck_ProbedHundredsOfTimes_WithNoErrorQueue_KeepsNoMemory()
    {
        var broker = SystemUnderTest.Broker;
        var options = Options.Create(new RabbitMqOptions { Port = broker.Port, Username = broker.User, Password = broker.Password });
        // A queue that is never created: the broker closes the channel of each passive declare, as for a service with nothing parked.
        await using var check = new ErrorQueueHealthCheck(options, $"probe-{Guid.NewGuid():N}");
        var context = new HealthCheckContext();

        for (var i = 0; i < 20; i++)
        {
            Assert.That((await check.CheckHealthAsync(context)).Status, Is.EqualTo(HealthStatus.Healthy));
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < 400; i++)
        {
            Assert.That((await check.CheckHealthAsync(context)).Status, Is.EqualTo(HealthStatus.Healthy));
        }

        var kept = GC.GetTotalMemory(forceFullCollection: true) - before;

        // A connection that kept each probe's closed channel would keep about 8 KB a probe: over 3 MB for 400.
        Assert.That(kept, Is.LessThan(1_000_000), $"{kept:N0} bytes kept by 400 probes");
    }
}
