using Microsoft.Extensions.DependencyInjection;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Security;
using Ops.SlaTimer.Clocks;
using Ops.SlaTimer.Storage;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>
/// The clock jumps forward 6 hours at once (a suspended host, a stopped scanner): every deadline that fell inside is
/// breached once, in deadline order, none skipped; a running clock whose warning point fell inside gets one warning, its
/// highest point reached; a clock already past its deadline is breached without a warning.
/// </summary>
public class TimeJumpTests : ServiceTests<Program>
{
    private static readonly TimeSpan Jump = TimeSpan.FromHours(6);

    // Small batches: the breaches of one jump span several transactions and still come out in deadline order.
    protected override void Configure(ServiceFactory<Program> service) => service.Settings["Scanner:BatchSize"] = "5";

    [Test]
    public async Task AJumpOf6Hours_BreachesEveryClockDueInside_OnceAndInDeadlineOrder_AndWarnsTheOthersOnce()
    {
        var now = Service.Time.GetUtcNow();

        // Faults just reported (both severities, staggered): their response and severe repair deadlines fall inside the jump.
        var fresh = Enumerable.Range(0, 8).Select(i => Tickets.Fault(i % 2 == 0 ? Severity.Severe : Severity.General, now.AddSeconds(-97 * i))).ToList();

        // Older general faults, their responses breached already: warning points, and two deadlines, fall inside the jump.
        var warnsAt50 = Tickets.Fault(Severity.General, now.AddHours(-7));
        var warnedAt50AndWarnsAt80 = Tickets.Fault(Severity.General, now.AddHours(-14));
        var acknowledgedWarnsAt50 = Tickets.Fault(Severity.General, now.AddHours(-10));
        var breachedPast80 = Tickets.Fault(Severity.General, now.AddHours(-19).AddMinutes(-10));
        var resolvedBeforeItsWarning = Tickets.Fault(Severity.General, now.AddHours(-7.5));
        var severePast50 = Tickets.Fault(Severity.Severe, now.AddHours(-3));
        TicketFacts[] all = [.. fresh, warnsAt50, warnedAt50AndWarnsAt80, acknowledgedWarnsAt50, breachedPast80, resolvedBeforeItsWarning, severePast50];
        foreach (var ticket in all)
        {
            await Service.Harness.Bus.Publish(new TicketReported(ticket, "phone", "综窗无法出件", "138****5678"));
        }

        await EventuallyAsync(async () => (await Database.MessagesAsync<SlaClockStarted>()).Count == 2 * all.Length, TimeSpan.FromSeconds(30));

        // Some clocks stop before the jump: an acknowledgement stops the response clock, a resolution both.
        await Service.Harness.Bus.Publish(new TicketAcknowledged(fresh[2].Acknowledged(now), "王工", now));
        await Service.Harness.Bus.Publish(new TicketResolved(fresh[5].Resolved(now), "王工", now, "已修复"));
        await Service.Harness.Bus.Publish(new TicketAcknowledged(acknowledgedWarnsAt50.Acknowledged(now), "王工", now));
        await Service.Harness.Bus.Publish(new TicketResolved(resolvedBeforeItsWarning.Resolved(now), "王工", now, "已修复"));
        var store = Service.Services.GetRequiredService<ClockStore>();
        async Task<List<SlaClock>> RunningAsync() =>
            [.. (await store.ListAsync(new ClockFilter(null, null), 1000, 0, Scope.All)).Clocks.Where(c => c.State == ClockState.Running)];

        // 28 clocks: the 6 older responses breached at once, 4 clocks stopped, 18 running.
        await EventuallyAsync(async () => (await RunningAsync()).Count == 18, TimeSpan.FromSeconds(30));
        await Service.ScannedUpToNowAsync();
        var running = await RunningAsync();
        var breachesBefore = (await Database.MessagesAsync<SlaBreached>()).Count;
        var warningsBefore = (await Database.MessagesAsync<SlaWarningRaised>()).Count;

        Service.Time.Advance(Jump);
        await Service.ScannedUpToNowAsync();
        var breaches = (await Database.MessagesAsync<SlaBreached>()).Skip(breachesBefore).ToList();
        var warnings = (await Database.MessagesAsync<SlaWarningRaised>()).Skip(warningsBefore).ToList();

        // A second scan, a second later, raises nothing more.
        Service.Time.Advance(TimeSpan.FromSeconds(1));
        await Service.ScannedUpToNowAsync();

        var end = now + Jump;
        var dueInside = running.Where(c => c.Deadline < end).OrderBy(c => c.Deadline).ToList();
        Assert.That(breaches.Select(b => b.Clock.ClockId), Is.EqualTo(dueInside.Select(c => c.Id)), "every clock due inside the jump, once, in deadline order");
        Assert.That(breaches.Select(b => b.Clock.Deadline), Is.Ordered);
        Assert.That(
            breaches.Select(b => b.Clock.TicketId).Distinct(),
            Is.EquivalentTo(fresh.Where((_, i) => i != 5).Select(t => t.TicketId).Append(breachedPast80.TicketId).Append(severePast50.TicketId)));
        Assert.That(breaches, Has.Count.EqualTo(12), "6 responses and 4 severe repairs of the fresh faults, and 2 older repairs");

        var stillRunning = running.Where(c => c.Deadline >= end && c.NextWarningAt <= end).ToDictionary(c => c.Id, c => HighestPointReached(c, end));
        Assert.That(warnings.ToDictionary(w => w.Clock.ClockId, w => w.Percent), Is.EquivalentTo(stillRunning), "one warning each, its highest point reached");
        Assert.That(
            warnings.Select(w => (w.Clock.TicketId, w.Clock.Clock, w.Percent)),
            Is.EquivalentTo(new[]
            {
                (warnsAt50.TicketId, ClockKind.Repair, 50),
                (warnedAt50AndWarnsAt80.TicketId, ClockKind.Repair, 80),
                (acknowledgedWarnsAt50.TicketId, ClockKind.Repair, 50),
            }));
        Assert.That(warnings.Select(w => w.Clock.ClockId).Intersect(dueInside.Select(c => c.Id)), Is.Empty, "a clock past its deadline is breached, not warned");

        Assert.That((await Database.MessagesAsync<SlaBreached>()).Count, Is.EqualTo(breachesBefore + breaches.Count), "nothing breached twice");
        Assert.That((await Database.MessagesAsync<SlaWarningRaised>()).Count, Is.EqualTo(warningsBefore + warnings.Count), "nothing warned twice");
    }

    /// <summary>The highest of the contract's warning points (50 %, 80 %) a continuous clock has reached at <paramref name="at"/>.</summary>
    private static int HighestPointReached(SlaClock clock, DateTimeOffset at) =>
        new[] { 80, 50 }.First(p => clock.StartedAt + clock.Excluded + TimeSpan.FromTicks(clock.Target.Ticks * p / 100) <= at);
}
