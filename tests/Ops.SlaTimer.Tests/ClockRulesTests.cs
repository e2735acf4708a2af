using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.SlaTimer.Clocks;

namespace Ops.SlaTimer.Tests;

/// <summary>The clock rules as a plain function: when clocks start, stop, are met and are breached.</summary>
public class ClockRulesTests
{
    private static readonly SlaTargets Targets = new();
    private static readonly DateTimeOffset Reported = Tickets.Reported;

    private static ClockChanges Apply(TicketFacts ticket, IReadOnlyList<SlaClock> clocks, DateTimeOffset now) =>
        ClockRules.Apply(ticket, Targets, clocks, now, Guid.NewGuid);

    private static SlaClock Of(ClockChanges changes, ClockKind which) => changes.Changed.Single(c => c.Clock == which);

    [TestCase(Severity.Severe, 4)]
    [TestCase(Severity.General, 24)]
    public void AReport_StartsA30MinuteResponseClock_AndARepairClockBySeverity(Severity severity, int repairHours)
    {
        var changes = Apply(Tickets.Fault(severity), [], Reported);

        Assert.That(Of(changes, ClockKind.Response).Deadline, Is.EqualTo(Reported.AddMinutes(30)));
        Assert.That(Of(changes, ClockKind.Repair).Deadline, Is.EqualTo(Reported.AddHours(repairHours)));
        Assert.That(changes.Changed.Select(c => c.State), Is.All.EqualTo(ClockState.Running));
        Assert.That(changes.Events.OfType<SlaClockStarted>().Count(), Is.EqualTo(2));
    }

    [Test]
    public void AcknowledgedExactlyAtTheDeadline_IsMet()
    {
        var ticket = Tickets.Fault();
        var started = Apply(ticket, [], Reported).Changed;

        var changes = Apply(ticket.Acknowledged(Reported.AddMinutes(30)), started, Reported.AddMinutes(30));

        var response = Of(changes, ClockKind.Response);
        Assert.That(response.State, Is.EqualTo(ClockState.Met));
        Assert.That(response.Overrun, Is.EqualTo(TimeSpan.Zero));
        Assert.That(changes.Events.OfType<SlaBreached>(), Is.Empty);
    }

    [Test]
    public void AcknowledgedOneTickAfterTheDeadline_IsBreached_WithThatOverrun()
    {
        var ticket = Tickets.Fault();
        var started = Apply(ticket, [], Reported).Changed;
        var late = Reported.AddMinutes(30).AddTicks(1);

        var changes = Apply(ticket.Acknowledged(late), started, late);

        var response = Of(changes, ClockKind.Response);
        Assert.That(response.State, Is.EqualTo(ClockState.Breached));
        Assert.That(response.Overrun, Is.EqualTo(TimeSpan.FromTicks(1)));
        Assert.That(changes.Events.OfType<SlaBreached>().Count(), Is.EqualTo(1), "the breach is recorded before the stop");
        Assert.That(changes.Events.OfType<SlaClockStopped>().Single().Clock.State, Is.EqualTo(ClockState.Breached));
    }

    [Test]
    public void ARunningClock_IsBreachedOnlyOnceTheTimeIsPastItsDeadline()
    {
        var clock = Apply(Tickets.Fault(), [], Reported).Changed.Single(c => c.Clock == ClockKind.Response);
        var events = new List<object>();

        var atDeadline = ClockRules.BreachIfDue(clock, clock.Deadline, events);
        var pastDeadline = ClockRules.BreachIfDue(clock, clock.Deadline.AddTicks(1), events);

        Assert.That(atDeadline, Is.SameAs(clock));
        Assert.That(pastDeadline.State, Is.EqualTo(ClockState.Breached));
        Assert.That(pastDeadline.BreachedAt, Is.EqualTo(clock.Deadline.AddTicks(1)));
        Assert.That(pastDeadline.Sequence, Is.EqualTo(clock.Sequence + 1));
        Assert.That(events.Single(), Is.InstanceOf<SlaBreached>());
    }

    [Test]
    public void AReportFiveHoursOld_BreachesBothSevereClocks_AtOnce()
    {
        var now = Reported.AddHours(5);

        var changes = Apply(Tickets.Fault(Severity.Severe, Reported), [], now);

        Assert.That(changes.Changed.Select(c => c.State), Is.All.EqualTo(ClockState.Breached));
        Assert.That(changes.Events.OfType<SlaBreached>().Select(b => b.Clock.BreachedAt), Is.All.EqualTo(now));
    }

    [Test]
    public void ResolvingWithoutAcknowledging_StopsBothClocks_TheResolutionCountsAsTheResponse()
    {
        var ticket = Tickets.Fault();
        var started = Apply(ticket, [], Reported).Changed;
        var at = Reported.AddMinutes(20);

        var changes = Apply(ticket.Resolved(at), started, at);

        Assert.That(changes.Changed.Select(c => (c.State, c.StoppedAt)), Is.All.EqualTo((ClockState.Met, (DateTimeOffset?)at)));
    }

    [Test]
    public void AStopThatArrivesAfterTheBreach_ButHappenedInTime_EndsMet()
    {
        var ticket = Tickets.Fault();
        var started = Apply(ticket, [], Reported).Changed;
        var breachedByTheScanner = started.Select(c => c.Clock == ClockKind.Response ? ClockRules.BreachIfDue(c, Reported.AddMinutes(31), []) : c).ToList();

        var changes = Apply(ticket.Acknowledged(Reported.AddMinutes(29)), breachedByTheScanner, Reported.AddMinutes(32));

        var response = Of(changes, ClockKind.Response);
        Assert.That(response.State, Is.EqualTo(ClockState.Met));
        Assert.That(changes.Events.OfType<SlaClockStopped>().Single().Overrun, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void TheSameVersionAgain_ChangesNoClock()
    {
        var ticket = Tickets.Fault().Acknowledged(Reported.AddMinutes(5));
        var first = Apply(ticket, [], Reported.AddMinutes(5)).Changed;

        var again = Apply(ticket, first, Reported.AddMinutes(6));

        Assert.That(again.Changed, Is.Empty);
        Assert.That(again.Events, Is.Empty);
    }
}
