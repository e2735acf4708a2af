using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Contracts.Sla;
using static Ops.EndToEnd.Tests.Pipeline;

namespace Ops.EndToEnd.Tests;

/// <summary>A fault through tickets → sla-timer → scoring over the real broker, as the scenarios describe.</summary>
[Order(1)]
public class FaultPipelineTests
{
    [Test]
    [Order(1)]
    public async Task RunningService_PublishesABreachAtItsDeadline_WithoutAnyoneTouchingTheTicket()
    {
        // A report backdated by 29 min 57 s: its response deadline is three seconds away.
        var reportedAt = DateTimeOffset.UtcNow.AddMinutes(-30).AddSeconds(3);
        var (id, _) = await ReportAsync("general", reportedAt);
        var deadline = DateTimeOffset.Parse((await WaitForClockAsync(id, "response")).GetProperty("deadline").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        await EventuallyAsync(() => Task.FromResult(SystemUnderTest.Breaches.Any(b => b.Breach.Clock.TicketId == id)), "the response breach is published", TimeSpan.FromSeconds(15));

        var (breach, arrivedAt) = SystemUnderTest.Breaches.Single(b => b.Breach.Clock.TicketId == id);
        Assert.That(breach.Clock.Clock, Is.EqualTo(ClockKind.Response));
        Assert.That(breach.Clock.BreachedAt, Is.GreaterThan(deadline), "a clock breaches once the time is past its deadline, never before");
        Assert.That(arrivedAt, Is.GreaterThan(deadline));
        TestContext.Progress.WriteLine($"[measure] breach of a running clock observed on the bus {(arrivedAt - deadline).TotalMilliseconds:0} ms after its deadline (recorded {(breach.Clock.BreachedAt!.Value - deadline).TotalMilliseconds:0} ms after)");
    }

    [Test]
    [Order(2)]
    public async Task SevereFault_ReportedFiveHoursAgo_BreachesBothClocks_AndDeductsThemOnItem6()
    {
        var started = DateTimeOffset.UtcNow;
        var (id, system) = await ReportAsync("severe", started.AddHours(-5));

        var took = await EventuallyAsync(async () => (await DeductionsOfAsync(id)).Length == 2, "two item-6 deductions for the ticket");

        var deductions = await DeductionsOfAsync(id);
        Assert.That(deductions.Single(d => d.GetProperty("clock").GetString() == "response").GetProperty("points").GetDecimal(), Is.EqualTo(1m));
        Assert.That(deductions.Single(d => d.GetProperty("clock").GetString() == "repair").GetProperty("points").GetDecimal(), Is.EqualTo(2m));
        Assert.That(deductions.Select(d => d.GetProperty("source").GetString()), Is.All.EqualTo("breach"));
        Assert.That((await ClocksAsync(id)).Select(c => c.GetProperty("state").GetString()), Is.All.EqualTo("breached"));
        var dashboard = await DashboardAsync(system);
        Assert.That(dashboard.GetProperty("faults").GetInt64(), Is.EqualTo(1));
        Assert.That(dashboard.GetProperty("openBreaches").GetInt64(), Is.EqualTo(2));
        TestContext.Progress.WriteLine($"[measure] report to both deductions visible in the assessment: {took.TotalMilliseconds:0} ms");
    }

    [Test]
    [Order(3)]
    public async Task FaultAcknowledgedAndResolvedInTime_DeductsNothing_AndTheDashboardShows100Percent()
    {
        var (id, system) = await ReportAsync("general", null);
        await WaitForClockAsync(id, "repair");

        var acknowledged = await SystemUnderTest.Tickets.Http.PostAsJsonAsync($"api/tickets/{id}/acknowledge", new { });
        var resolved = await SystemUnderTest.Tickets.Http.PostAsJsonAsync($"api/tickets/{id}/resolve", new { resolution = "已恢复" });
        Assert.That(acknowledged.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(resolved.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await EventuallyAsync(async () => (await DashboardAsync(system)).GetProperty("repaired").GetInt64() == 1, "the repair reaches the dashboard");
        var dashboard = await DashboardAsync(system);
        Assert.That(dashboard.GetProperty("faults").GetInt64(), Is.EqualTo(1));
        Assert.That(dashboard.GetProperty("respondedOnTime").GetInt64(), Is.EqualTo(1));
        Assert.That(dashboard.GetProperty("responseRate").GetDecimal(), Is.EqualTo(100m));
        Assert.That(dashboard.GetProperty("repairRate").GetDecimal(), Is.EqualTo(100m));
        Assert.That(dashboard.GetProperty("openBreaches").GetInt64(), Is.Zero);
        Assert.That((await ClocksAsync(id)).Select(c => c.GetProperty("state").GetString()), Is.All.EqualTo("met"));
        Assert.That(await DeductionsOfAsync(id), Is.Empty);
    }

    [Test]
    [Order(4)]
    public async Task SlaTimerDownWhileADeadlinePasses_ReportsThatBreachOnce_AfterItStartsAgain()
    {
        // The response deadline is four seconds away, time enough for the clock to start; the sla-timer is gone before it passes.
        var (id, _) = await ReportAsync("general", DateTimeOffset.UtcNow.AddMinutes(-30).AddSeconds(4));
        var clock = await WaitForClockAsync(id, "response");
        var deadline = DateTimeOffset.Parse(clock.GetProperty("deadline").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        await SystemUnderTest.SlaTimer.KillAsync();
        Assert.That(DateTimeOffset.UtcNow, Is.LessThan(deadline), "the sla-timer stopped before the deadline");

        await UntilAsync(deadline.AddMilliseconds(100)); // down while the deadline passes: nothing but the time can tell that it has
        Assert.That(SystemUnderTest.Breaches.Any(b => b.Breach.Clock.TicketId == id), Is.False, "nobody reports a breach while the sla-timer is down");
        await SystemUnderTest.SlaTimer.StartAsync();

        await EventuallyAsync(async () => (await DeductionsOfAsync(id)).Length == 1, "the missed breach is deducted after the restart");
        await ScannedAfterAsync(DateTimeOffset.UtcNow); // a second report, were there one, is in the sla-timer's outbox now
        await EventuallyAsync(async () => await SlaTimerUnpublishedAsync() == 0, "the sla-timer publishes what it stored");
        await SystemUnderTest.Broker.WaitUntilIdleAsync(TimeSpan.FromSeconds(20));
        Assert.That(SystemUnderTest.Breaches.Count(b => b.Breach.Clock.TicketId == id), Is.EqualTo(1));
        Assert.That((await DeductionsOfAsync(id)).Single().GetProperty("clock").GetString(), Is.EqualTo("response"));
        Assert.That((await ClockAsync(id, "repair")).GetProperty("state").GetString(), Is.EqualTo("running"));
    }

    [Test]
    [Order(5)]
    public async Task TheSameBreachDeliveredTwice_DeductsOnce()
    {
        var (id, _) = await ReportAsync("severe", DateTimeOffset.UtcNow.AddHours(-5));
        await EventuallyAsync(async () => (await DeductionsOfAsync(id)).Length == 2, "two item-6 deductions for the ticket");
        await EventuallyAsync(() => Task.FromResult(SystemUnderTest.Breaches.Count(b => b.Breach.Clock.TicketId == id) == 2), "both breaches observed");
        var before = (await AssessmentAsync()).GetProperty("items")[5].GetProperty("recorded").GetDecimal();

        foreach (var (breach, _) in SystemUnderTest.Breaches.Where(b => b.Breach.Clock.TicketId == id).ToList())
        {
            await SystemUnderTest.Bus.Publish(breach);
            await SystemUnderTest.Bus.Publish(breach);
        }

        await EventuallyAsync(() => Task.FromResult(SystemUnderTest.Breaches.Count(b => b.Breach.Clock.TicketId == id) == 6), "the repeats went over the bus");
        await SystemUnderTest.Broker.WaitUntilIdleAsync(TimeSpan.FromSeconds(20));
        Assert.That((await DeductionsOfAsync(id)).Length, Is.EqualTo(2));
        Assert.That((await AssessmentAsync()).GetProperty("items")[5].GetProperty("recorded").GetDecimal(), Is.EqualTo(before));
    }

    [Test]
    [Order(6)]
    public async Task TicketAcceptedWhileTheBrokerIsDown_ReachesScoring_OnceTheBrokerIsBack()
    {
        await SystemUnderTest.Broker.KillAsync(); // gone at once, as in a crash: no rabbitmqctl, no orderly shutdown to wait for
        Guid id;
        try
        {
            (id, _) = await ReportAsync("severe", DateTimeOffset.UtcNow.AddHours(-5));
            var stored = await SystemUnderTest.Tickets.Http.GetFromJsonAsync<JsonElement>($"api/tickets/{id}");
            Assert.That(stored.GetProperty("status").GetString(), Is.EqualTo("open"), "a 201 means it is stored, broker or not");
            var ready = await SystemUnderTest.Tickets.Http.GetFromJsonAsync<JsonElement>("health/ready");
            Assert.That(ready.GetProperty("checks").GetProperty("outbox").GetProperty("data").GetProperty("unpublished").GetInt64(), Is.GreaterThanOrEqualTo(1));
        }
        finally
        {
            await SystemUnderTest.Broker.StartAsync();
        }

        var took = await EventuallyAsync(async () => (await DeductionsOfAsync(id)).Length == 2, "the ticket's breaches are deducted after the broker came back", TimeSpan.FromSeconds(90));
        TestContext.Progress.WriteLine($"[measure] broker back to deductions visible: {took.TotalSeconds:0.0} s");
    }

    private static async Task<JsonElement> WaitForClockAsync(Guid ticketId, string clock)
    {
        await EventuallyAsync(async () => (await ClocksAsync(ticketId)).Any(c => c.GetProperty("clock").GetString() == clock), $"the {clock} clock exists");
        return await ClockAsync(ticketId, clock);
    }
}
