using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.EndToEnd.Tests;

/// <summary>
/// With <c>RabbitMq:QuorumQueues</c> on, as on a production broker cluster (deploy/production/rabbitmq), each service
/// declares its queue as a quorum queue, and a fault still flows from tickets through the sla-timer to scoring. The
/// three services run on a virtual host of the test's own on the run's broker, so their queues are apart from the
/// classic queues of the other tests (a quorum queue cannot take the name of an existing classic one).
/// </summary>
public class QuorumQueueTests
{
    [Test]
    public async Task WithQuorumQueuesOn_EveryServiceQueueIsAQuorumQueue_AndAFaultFlowsThroughThem()
    {
        var virtualHost = $"quorum-{Guid.NewGuid():N}";
        var data = Path.Combine(Path.GetTempPath(), "ops-e2e-quorum", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        await SystemUnderTest.Broker.AddVirtualHostAsync(virtualHost);
        var services = new[] { ("sla-timer", "SlaTimer"), ("scoring", "Scoring"), ("tickets", "Tickets") }
            .Select(s => new ServiceProcess(s.Item1, s.Item2, SystemUnderTest.Repository, data, SystemUnderTest.Broker))
            .ToList();
        try
        {
            foreach (var service in services)
            {
                service.Settings["RabbitMq__VirtualHost"] = virtualHost;
                service.Settings["RabbitMq__QuorumQueues"] = "true";
            }

            var (slaTimer, scoring, tickets) = (services[0], services[1], services[2]);
            scoring.Settings["Reports__Schedule"] = "false";
            // Side by side: nothing is reported before all three are ready, so every queue exists by then.
            await Task.WhenAll(slaTimer.StartAsync(), scoring.StartAsync(), tickets.StartAsync());

            var queues = await SystemUnderTest.Broker.QueuesAsync(virtualHost);
            foreach (var name in new[] { "tickets", "sla-timer", "scoring" })
            {
                var queue = queues.SingleOrDefault(q => q.Name == name);
                Assert.That(queue, Is.Not.Null, $"{name}: {string.Join(", ", queues)}");
                Assert.That(queue!.Type, Is.EqualTo("quorum"), name);
            }

            using var hotline = tickets.Anonymous().As(Roles.Intake, "quorum hotline");
            var reported = await hotline.PostAsJsonAsync("api/tickets", new
            {
                channel = "phone",
                kind = "fault",
                severity = "general",
                siteCode = "OTQ",
                system = "智慧政务云平台",
                title = "仲裁队列测试故障",
                reporter = new { name = "测试员", phone = "13800001111" },
            });
            Assert.That(reported.StatusCode, Is.EqualTo(HttpStatusCode.Created), await reported.Content.ReadAsStringAsync());
            var id = (await reported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

            // tickets → sla-timer (its quorum queue) → scoring (its quorum queue): the fault is counted on the dashboard.
            await Pipeline.EventuallyAsync(
                async () => (await scoring.Http.GetFromJsonAsync<JsonElement>("api/dashboard/sla")).GetProperty("faults").GetInt64() == 1,
                $"the fault {id} reaches scoring through the quorum queues",
                TimeSpan.FromSeconds(30));
        }
        finally
        {
            foreach (var service in services)
            {
                await service.DisposeAsync();
            }

            await SystemUnderTest.Broker.DeleteVirtualHostAsync(virtualHost);
            Directory.Delete(data, recursive: true);
        }
    }
}
