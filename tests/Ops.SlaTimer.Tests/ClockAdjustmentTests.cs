using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.SlaTimer.Clocks;

namespace Ops.SlaTimer.Tests;

/// <summary>Severity changes and reopens: how a clock's deadline moves, and what a breach already recorded keeps.</summary>
public class ClockAdjustmentTests
{
    private static readonly SlaTargets Targets = new();
    private static readonly DateTimeOffset Reported = Tickets.Reported;

    /// <summary>Applies the ticket's versions in order, each at its own time, and returns the clocks and every event.</summary>
    private static (IReadOnlyList<SlaClock> Clocks, List<object> Events) Run(params (TicketFacts Ticket, DateTimeOffset At)[] versions)
    {
        var clocks = new List<SlaClock>();
        var events = new List<object>();
        foreach (var (ticket, at) in versions)
        {
            var changes = ClockRules.Apply(ticket, Targets, clocks, at, Guid.NewGuid);
            foreach (var changed in changes.Changed)
            {
                clocks.RemoveAll(c => c.Id == changed.Id);
                clocks.Add(changed);
            }

            events.AddRange(changes.Events);
        }

        return (clocks, events);
    }

    private static SlaClock Repair(IReadOnlyList<SlaClock> clocks) => clocks.Single(c => c.Clock == ClockKind.Repair);

    [Test]
    public void AnUpgrade_RecomputesTheRepairDeadline_FromTheReport()
    {
        var general = Tickets.Fault(Severity.General).Acknowledged(Reported.AddMinutes(5));

        var (clocks, events) = Run((general, Reported.AddMinutes(5)), (general.WithSeverity(Severity.Severe), Reported.AddHours(1)));

        Assert.That((Repair(clocks).Deadline, Repair(clocks).Severity, Repair(clocks).State), Is.EqualTo((Reported.AddHours(4), Severity.Severe, ClockState.Running)));
        var adjusted = events.OfType<SlaClockAdjusted>().Single();
        Assert.That((adjusted.Reason, adjusted.Clock.Clock, adjusted.Clock.Target), Is.EqualTo(("severity", ClockKind.Repair, TimeSpan.FromHours(4))));
        Assert.That(events.OfType<SlaBreached>(), Is.Empty);
    }

    [Test]
    public void AnUpgradePastTheNewDeadline_BreachesAtTheMomentOfTheChange()
    {
        var general = Tickets.Fault(Severity.General).Acknowledged(Reported.AddMinutes(5));
        var changedAt = Reported.AddHours(5);

        var (clocks, events) = Run((general, Reported.AddMinutes(5)), (general.WithSeverity(Severity.Severe), changedAt));

        Assert.That((Repair(clocks).State, Repair(clocks).BreachedAt), Is.EqualTo((ClockState.Breached, (DateTimeOffset?)changedAt)));
        Assert.That(events.Select(e => e.GetType().Name).TakeLast(2), Is.EqualTo(new[] { nameof(SlaClockAdjusted), nameof(SlaBreached) }));
        Assert.That(events.OfType<SlaBreached>().Single().Clock.Deadline, Is.EqualTo(Reported.AddHours(4)));
    }

    [Test]
    public void ADowngrade_KeepsABreachAlreadyRecorded_AndItsDeadline()
    {
        var severe = Tickets.Fault(Severity.Severe).Acknowledged(Reported.AddMinutes(5));
        var general = severe.WithSeverity(Severity.General);

        var (clocks, events) = Run(
            (severe, Reported.AddMinutes(5)),
            (severe, Reported.AddHours(4).AddSeconds(1)), // a repeated version: only the breach check runs
            (general, Reported.AddHours(5)),
            (general.Resolved(Reported.AddHours(6)), Reported.AddHours(6)));

        var repair = Repair(clocks);
        Assert.That((repair.State, repair.Deadline, repair.Severity), Is.EqualTo((ClockState.Breached, Reported.AddHours(4), Severity.Severe)));
        Assert.That(events.OfType<SlaClockAdjusted>(), Is.Empty);
        Assert.That(events.OfType<SlaClockStopped>().Last().Overrun, Is.EqualTo(TimeSpan.FromHours(2)));
    }

    [Test]
    public void ADowngradeOfARunningClock_GivesItTheGeneralTarget()
    {
        var severe = Tickets.Fault(Severity.Severe).Acknowledged(Reported.AddMinutes(5));

        var (clocks, _) = Run((severe, Reported.AddMinutes(5)), (severe.WithSeverity(Severity.General), Reported.AddHours(3)));

        Assert.That((Repair(clocks).Deadline, Repair(clocks).State), Is.EqualTo((Reported.AddHours(24), ClockState.Running)));
    }

    [Test]
    public void AReopen_ResumesTheRepairClock_AndTheTimeSpentResolvedDoesNotCount()
    {
        var resolved = Tickets.Fault(Severity.Severe).Acknowledged(Reported.AddMinutes(5)).Resolved(Reported.AddHours(1));
        var reopened = resolved.Reopened(Reported.AddHours(3));

        var (clocks, events) = Run(
            (resolved, Reported.AddHours(1)),
            (reopened, Reported.AddHours(3)),
            (reopened.Resolved(Reported.AddHours(5.5)), Reported.AddHours(5.5)));

        var repair = Repair(clocks);
        Assert.That((repair.State, repair.Deadline, repair.Excluded, repair.Reopens), Is.EqualTo((ClockState.Met, Reported.AddHours(6), TimeSpan.FromHours(2), 1)));
        var resumed = events.OfType<SlaClockAdjusted>().Single();
        Assert.That((resumed.Reason, resumed.Clock.State, resumed.Clock.StoppedAt), Is.EqualTo(("reopened", ClockState.Running, (DateTimeOffset?)null)));
        Assert.That(clocks.Single(c => c.Clock == ClockKind.Response).State, Is.EqualTo(ClockState.Met));
        Assert.That(events.OfType<SlaBreached>(), Is.Empty);
    }

    [Test]
    public void AReopenedFault_NotResolvedAgainInTime_IsBreached_AtItsMovedDeadline()
    {
        var resolved = Tickets.Fault(Severity.Severe).Acknowledged(Reported.AddMinutes(5)).Resolved(Reported.AddHours(1));
        var reopened = resolved.Reopened(Reported.AddHours(3));

        var (clocks, events) = Run((resolved, Reported.AddHours(1)), (reopened, Reported.AddHours(3)), (reopened, Reported.AddHours(6).AddSeconds(1)));

        Assert.That(Repair(clocks).State, Is.EqualTo(ClockState.Breached));
        Assert.That(events.OfType<SlaBreached>().Single().Clock.Deadline, Is.EqualTo(Reported.AddHours(6)));
    }

    [Test]
    public void ARepairMetAfterItsBreach_ReopenedAndLeft_BreachesAgain_WithTheMomentOfTheNewBreach()
    {
        var acknowledged = Tickets.Fault(Severity.Severe).Acknowledged(Reported.AddMinutes(5));
        var resolvedInTime = acknowledged.Resolved(Reported.AddHours(3));
        var reopened = resolvedInTime.Reopened(Reported.AddHours(5));

        var (clocks, events) = Run(
            (acknowledged, Reported.AddMinutes(5)),
            (acknowledged, Reported.AddHours(4).AddSeconds(1)),
            (resolvedInTime, Reported.AddHours(4.5)),
            (reopened, Reported.AddHours(5)),
            (reopened, Reported.AddHours(6).AddSeconds(1)));

        var repair = events.Select<object, (string Event, ClockFacts? Clock)>(e => e switch
        {
            SlaBreached b => ("breached", b.Clock),
            SlaClockStopped s => ("stopped", s.Clock),
            SlaClockAdjusted a => ("adjusted", a.Clock),
            _ => ("other", null),
        }).Where(e => e.Clock?.Clock == ClockKind.Repair).Select(e => (e.Event, e.Clock!.State, e.Clock.BreachedAt)).ToList();
        Assert.That(repair, Is.EqualTo(new (string, ClockState, DateTimeOffset?)[]
        {
            ("breached", ClockState.Breached, Reported.AddHours(4).AddSeconds(1)),
            ("stopped", ClockState.Met, Reported.AddHours(4).AddSeconds(1)),
            ("adjusted", ClockState.Running, Reported.AddHours(4).AddSeconds(1)),
            ("breached", ClockState.Breached, Reported.AddHours(6).AddSeconds(1)),
        }));
        Assert.That((Repair(clocks).State, Repair(clocks).Deadline), Is.EqualTo((ClockState.Breached, Reported.AddHours(6))));
    }

    [Test]
    public void AReopenOfABreachedRepair_LeavesItBreached_AndOpenUntilResolvedAgain()
    {
        var resolvedLate = Tickets.Fault(Severity.Severe).Acknowledged(Reported.AddMinutes(5)).Resolved(Reported.AddHours(5));
        var reopened = resolvedLate.Reopened(Reported.AddHours(6));

        var (clocks, events) = Run((resolvedLate, Reported.AddHours(5)), (reopened, Reported.AddHours(6)));

        var repair = Repair(clocks);
        Assert.That((repair.State, repair.StoppedAt, repair.Deadline), Is.EqualTo((ClockState.Breached, (DateTimeOffset?)null, Reported.AddHours(4))));
        Assert.That(events.OfType<SlaBreached>().Count(), Is.EqualTo(1));
    }

    [Test]
    public void AReopenNeverHeardOf_IsStillAccountedFor_WhenTheSecondResolutionArrives()
    {
        var resolved = Tickets.Fault(Severity.Severe).Acknowledged(Reported.AddMinutes(5)).Resolved(Reported.AddHours(1));
        var resolvedAgain = resolved.Reopened(Reported.AddHours(3)).Resolved(Reported.AddHours(5));

        var (clocks, _) = Run((resolved, Reported.AddHours(1)), (resolvedAgain, Reported.AddHours(5)));

        var repair = Repair(clocks);
        Assert.That((repair.State, repair.StoppedAt, repair.Deadline), Is.EqualTo((ClockState.Met, (DateTimeOffset?)Reported.AddHours(5), Reported.AddHours(6))));
    }
}
