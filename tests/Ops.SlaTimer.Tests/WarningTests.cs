using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Storage;
using Ops.SlaTimer.Clocks;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>Warnings before a breach: at 50 % and 80 % of a clock's target, each raised once, in the clock's own time.</summary>
public class WarningTests : ServiceTests<Program>
{
    private static readonly SlaTargets Targets = new();
    private static readonly DateTimeOffset Reported = Tickets.Reported;

    private static IReadOnlyList<SlaClock> Start(TicketFacts ticket, SlaTargets? targets = null) =>
        ClockRules.Apply(ticket, targets ?? Targets, [], ticket.ReportedAt, Guid.NewGuid).Changed;

    [Test]
    public void ANewClock_PlansItsFirstWarning_AtHalfItsTarget()
    {
        var clocks = Start(Tickets.Fault(Severity.Severe));

        Assert.That(clocks.Single(c => c.Clock == ClockKind.Response).NextWarningAt, Is.EqualTo(Reported.AddMinutes(15)));
        Assert.That(clocks.Single(c => c.Clock == ClockKind.Repair).NextWarningAt, Is.EqualTo(Reported.AddHours(2)));
    }

    [Test]
    public void EachWarningPoint_IsRaisedOnce_ThenTheNextIsPlanned_AndNoneAfterTheLast()
    {
        var response = Start(Tickets.Fault()).Single(c => c.Clock == ClockKind.Response);

        Assert.That(ClockRules.WarnIfDue(response, Targets, Reported.AddMinutes(15).AddTicks(-1)), Is.Null);
        var (at50, first) = ClockRules.WarnIfDue(response, Targets, Reported.AddMinutes(15))!.Value;
        Assert.That(ClockRules.WarnIfDue(at50, Targets, Reported.AddMinutes(20)), Is.Null, "50 % is not raised twice");
        var (at80, second) = ClockRules.WarnIfDue(at50, Targets, Reported.AddMinutes(24))!.Value;

        Assert.That((first.Percent, at50.NextWarningAt), Is.EqualTo((50, (DateTimeOffset?)Reported.AddMinutes(24))));
        Assert.That((second.Percent, at80.NextWarningAt), Is.EqualTo((80, (DateTimeOffset?)null)));
        Assert.That(at80.Sequence, Is.EqualTo(response.Sequence + 2));
    }

    [Test]
    public void AScannerThatWasDown_RaisesTheHighestPointReached_Alone()
    {
        var response = Start(Tickets.Fault()).Single(c => c.Clock == ClockKind.Response);

        var (_, warning) = ClockRules.WarnIfDue(response, Targets, Reported.AddMinutes(25))!.Value;

        Assert.That(warning.Percent, Is.EqualTo(80));
    }

    [Test]
    public void AClockReportedPastItsDeadline_IsBreached_NeverWarned()
    {
        var clocks = ClockRules.Apply(Tickets.Fault(reportedAt: Reported.AddHours(-5)), Targets, [], Reported, Guid.NewGuid).Changed;

        Assert.That(clocks.Select(c => c.NextWarningAt), Is.All.Null);
    }

    [Test]
    public void TheWarningPoints_AreTheContractsToSet()
    {
        var targets = new SlaTargets { WarnAt = [75] };

        var response = Start(Tickets.Fault(), targets).Single(c => c.Clock == ClockKind.Response);

        Assert.That(response.NextWarningAt, Is.EqualTo(Reported.AddMinutes(22.5)));
    }

    [Test]
    public async Task AFaultReportedPastHalfItsResponseTime_IsWarnedAtOnce()
    {
        var ticket = Tickets.Fault(Severity.General, Service.Time.GetUtcNow().AddMinutes(-20));

        await Service.Harness.Bus.Publish(new TicketReported(ticket, "phone", "综窗无法出件", "138****5678"));

        await EventuallyAsync(async () => (await Database.MessagesAsync<SlaWarningRaised>()).Count == 1);
        Assert.That((await Database.MessagesAsync<SlaWarningRaised>()).Single().Percent, Is.EqualTo(50));
    }

    [Test]
    public async Task ARunningService_RaisesEachWarningOnce_OnItsFakeClock_AndThenTheBreach()
    {
        var now = Service.Time.GetUtcNow();
        var ticket = Tickets.Fault(Severity.Severe, now);
        await Service.Harness.Bus.Publish(new TicketReported(ticket, "phone", "综窗无法出件", "138****5678"));
        await EventuallyAsync(async () => (await Database.MessagesAsync<SlaClockStarted>()).Count == 2);

        Service.Time.Advance(TimeSpan.FromMinutes(15));
        await EventuallyAsync(async () => (await Database.MessagesAsync<SlaWarningRaised>()).Count == 1);
        Service.Time.Advance(TimeSpan.FromMinutes(9));
        await EventuallyAsync(async () => (await Database.MessagesAsync<SlaWarningRaised>()).Count == 2);
        Service.Time.Advance(TimeSpan.FromMinutes(6).Add(TimeSpan.FromSeconds(1)));
        await EventuallyAsync(async () => (await Database.MessagesAsync<SlaBreached>()).Count == 1);
        Service.Time.Advance(TimeSpan.FromSeconds(5));
        await Service.ScannedUpToNowAsync();

        var warnings = await Database.MessagesAsync<SlaWarningRaised>();
        Assert.That(warnings.Select(w => (w.Clock.Clock, w.Percent)), Is.EqualTo(new[] { (ClockKind.Response, 50), (ClockKind.Response, 80) }));
        Assert.That((await Database.MessagesAsync<SlaBreached>()).Single().Clock.Clock, Is.EqualTo(ClockKind.Response));
    }
}
