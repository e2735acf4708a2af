using System.Collections.Concurrent;
using System.Text;
using MassTransit;
using Ops.Contracts.Tickets;
using static Ops.EndToEnd.Tests.Pipeline;

namespace Ops.EndToEnd.Tests;

/// <summary>What the services put on the real broker: Chinese as UTF-8, as anyone reading a queue sees it.</summary>
public class MessageEncodingTests
{
    [Test]
    public async Task AnEventOnTheBroker_CarriesChineseAsUtf8_NotAsEscapes()
    {
        var bodies = new ConcurrentQueue<string>();
        var observer = SystemUnderTest.Broker.Observer("e2e-encoding", e => e.Handler<TicketReported>(context =>
        {
            bodies.Enqueue(Encoding.UTF8.GetString(context.ReceiveContext.Body.GetBytes()));
            return Task.CompletedTask;
        }));
        await observer.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        try
        {
            var (id, system) = await ReportAsync("general", null);

            await EventuallyAsync(() => Task.FromResult(bodies.Any(b => b.Contains(id.ToString(), StringComparison.Ordinal))), "the observer receives the TicketReported event");
            var body = bodies.First(b => b.Contains(id.ToString(), StringComparison.Ordinal));
            Assert.That(body, Does.Contain("端到端测试故障").And.Contain(system).And.Not.Contain("\\u"));
        }
        finally
        {
            await observer.StopAsync();
        }
    }
}
