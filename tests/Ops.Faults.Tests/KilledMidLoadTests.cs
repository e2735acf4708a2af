using System.Diagnostics;
using Ops.Testing;

namespace Ops.Faults.Tests;

/// <summary>
/// Under a steady load of 50 reports a second, a service or the broker is killed with SIGKILL and started again. Every
/// report that got a 201 reaches scoring and none is counted twice: the tickets' list holds each accepted ticket once,
/// scoring's ledger holds exactly one response breach and one repair breach for each, and scoring's dashboard counts
/// as many faults (and twice as many open breaches) as there are tickets.
/// </summary>
[NonParallelizable]
public sealed class KilledMidLoadTests
{
    private const int PerSecond = 50;

    private KilledSystem system = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var started = Stopwatch.StartNew();
        system = await KilledSystem.StartAsync();
        TestContext.Progress.WriteLine($"[measure] own broker and three services started in {started.Elapsed.TotalSeconds:0.0} s");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (system is not null)
        {
            await system.DisposeAsync();
        }
    }

    [Test]
    [Order(1)]
    public async Task EachServiceKilledInTurnMidLoad_EveryAcceptedReportIsScoredOnce()
    {
        await system.QuietAsync(TimeSpan.FromSeconds(60)); // nothing of an earlier test still on its way
        var load = new ReportLoad(system.Hotline, PerSecond);
        var clock = Stopwatch.StartNew();
        var running = load.RunAsync();
        try
        {
            await FlowingAsync(load, running, 2 * PerSecond, "the load started");
            foreach (var service in system.Services)
            {
                await service.KillAsync();
                var killedAt = clock.Elapsed;
                await service.StartAsync();
                TestContext.Progress.WriteLine($"[measure] {service.Name} killed at {killedAt.TotalSeconds:0.0} s, ready again {service.StartUpTime.TotalSeconds:0.0} s later");
                await FlowingAsync(load, running, PerSecond / 2, $"{service.Name} started again");
            }

            while (clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await FlowingAsync(load, running, PerSecond / 2, "the load goes on");
            }
        }
        finally
        {
            await load.StopAsync(running);
        }

        await ExpectEveryAcceptedReportScoredOnceAsync(load, clock);
    }

    [Test]
    [Order(2)]
    public async Task BrokerKilledMidLoad_EveryAcceptedReportIsScoredOnce()
    {
        await system.QuietAsync(TimeSpan.FromSeconds(60)); // nothing of an earlier test still on its way
        var load = new ReportLoad(system.Hotline, PerSecond);
        var clock = Stopwatch.StartNew();
        var running = load.RunAsync();
        try
        {
            await FlowingAsync(load, running, 2 * PerSecond, "the load started");
            await system.Broker.KillAsync();
            var killedAt = clock.Elapsed;

            // Tickets goes on accepting reports without the broker: they wait in its outbox.
            await FlowingAsync(load, running, PerSecond, "the broker killed");
            var restart = Stopwatch.StartNew();
            await system.Broker.StartAsync();
            TestContext.Progress.WriteLine($"[measure] broker killed at {killedAt.TotalSeconds:0.0} s, accepting again {restart.Elapsed.TotalSeconds:0.0} s after its restart began");
            while (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                await FlowingAsync(load, running, PerSecond / 2, "the broker started again");
            }
        }
        finally
        {
            await load.StopAsync(running);
        }

        await ExpectEveryAcceptedReportScoredOnceAsync(load, clock);
    }

    /// <summary>Waits until <paramref name="more"/> further reports were accepted: the load flows (again).</summary>
    private async Task FlowingAsync(ReportLoad load, Task running, int more, string after)
    {
        var target = load.Accepted.Count + more;
        var waited = Stopwatch.StartNew();
        while (load.Accepted.Count < target && !running.IsCompleted)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                Assert.Fail($"{after}: {load.Accepted.Count} of {target} reports accepted 60 s later ({load.Sent} sent).\n{system.Tails()}");
            }

            await Task.Delay(25);
        }

        await (running.IsCompleted ? running : Task.CompletedTask); // the load itself failed: say why
    }

    private async Task ExpectEveryAcceptedReportScoredOnceAsync(ReportLoad load, Stopwatch clock)
    {
        var loadTook = clock.Elapsed;
        Assert.That(load.Refused, Is.Empty, "a report the gateway sent again was refused");
        Assert.That(load.Abandoned, Is.Empty, "a report was still not accepted after the gateway's retries");
        var accepted = load.Accepted.Values.ToHashSet();
        Assert.That(accepted, Has.Count.EqualTo(load.Sent), "each report, retried or not, is one ticket");
        TestContext.Progress.WriteLine(
            $"[measure] {load.Sent} reports in {loadTook.TotalSeconds:0.0} s ({load.Retries} retries, {load.Replayed} answered with the ticket an earlier attempt stored)");

        // Positive signal first: scoring has seen every accepted fault and both its breaches; then nothing is on its way.
        // Scoring may be far behind on a busy machine: what fails is a count that stops rising short of the target.
        var scored = Stopwatch.StartNew();
        var progressed = Stopwatch.StartNew();
        var last = (Faults: -1L, OpenBreaches: -1L);
        while (true)
        {
            var now = await system.DashboardOfAsync(load);
            if (now.Faults >= accepted.Count && now.OpenBreaches >= 2 * accepted.Count)
            {
                break;
            }

            if (now != last)
            {
                (last, progressed) = (now, Stopwatch.StartNew());
            }
            else if (progressed.Elapsed > TimeSpan.FromSeconds(30) || scored.Elapsed > TimeSpan.FromMinutes(3))
            {
                Assert.Fail($"{scored.Elapsed.TotalSeconds:0} s after the load, scoring counts {now.Faults} of {accepted.Count} accepted faults and {now.OpenBreaches} of their {2 * accepted.Count} breaches, unchanged for {progressed.Elapsed.TotalSeconds:0} s.\n{system.Tails()}");
            }

            await Task.Delay(250); // scoring is catching up: asked four times a second, not forty
        }

        await system.QuietAsync(TimeSpan.FromSeconds(30));

        var listed = await system.TicketsOfAsync(load);
        var ledger = (await system.LedgerAsync()).Where(e => e.TicketId is { } id && accepted.Contains(id)).ToList();
        var (dashboardFaults, openBreaches) = await system.DashboardOfAsync(load);
        TestContext.Progress.WriteLine($"[measure] all scored and quiet {(clock.Elapsed - loadTook).TotalSeconds:0.0} s after the load ended");

        Assert.Multiple(() =>
        {
            Assert.That(listed, Is.Unique, "the tickets' list shows a ticket twice");
            Assert.That(listed, Is.EquivalentTo(accepted), "the tickets' list holds exactly the accepted reports");
            Assert.That(ledger.Where(e => e.Source != "breach"), Is.Empty, "nothing was taken back");
            Assert.That(ledger.Where(e => e.Clock == "response").Select(e => e.TicketId!.Value), Is.EquivalentTo(accepted), "one response breach per accepted report");
            Assert.That(ledger.Where(e => e.Clock == "repair").Select(e => e.TicketId!.Value), Is.EquivalentTo(accepted), "one repair breach per accepted report");
            Assert.That(dashboardFaults, Is.EqualTo(accepted.Count), "the dashboard counts each fault once");
            Assert.That(openBreaches, Is.EqualTo(2 * accepted.Count), "the dashboard counts each breach once");
        });
    }
}
