using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;

namespace Ops.SlaTimer.Clocks;

/// <summary>The clocks of a ticket after a change, and the events the change causes, in order.</summary>
public sealed record ClockChanges(IReadOnlyList<SlaClock> Changed, IReadOnlyList<object> Events);

/// <summary>
/// The SLA rules, as pure functions of a ticket's facts, its current clocks and the time now.
/// A fault's response clock runs from <c>reportedAt</c> to its first acknowledgement (or its
/// resolution, if that comes first); its repair clock runs from <c>reportedAt</c> to its resolution.
/// A service request has a response clock and a completion clock, with its grade's targets, counted
/// in working time when the grade says so.
/// A clock stopped at or before its deadline is met. A running clock is breached the moment the
/// time is past its deadline.
/// A running clock's deadline is always the report plus the target for the ticket's current severity
/// plus the time that does not count (the time a reopened ticket spent resolved): a severity change
/// recomputes it, and an upgrade past the new deadline breaches at once. A breach already recorded
/// stays, deadline and all. A reopen resumes the repair clock: met becomes running again, a breach
/// stays a breach, open until the ticket is resolved again. A pause a manager approved makes the repair
/// or completion clock stand still; when the ticket resumes, its deadline moves by the pause (in working
/// time for a working-time clock). A breached clock is not paused.
/// </summary>
public static class ClockRules
{
    public static readonly ClockKind[] FaultClocks = [ClockKind.Response, ClockKind.Repair];

    public static readonly ClockKind[] RequestClocks = [ClockKind.Response, ClockKind.Completion];

    /// <summary>Brings the ticket's clocks in line with <paramref name="ticket"/> at <paramref name="now"/>.</summary>
    public static ClockChanges Apply(TicketFacts ticket, SlaTargets targets, IReadOnlyList<SlaClock> clocks, DateTimeOffset now, Func<Guid> newId)
    {
        // Events from before requests lost their severity carry general for them.
        ticket = ticket.Kind == TicketKind.Fault ? ticket : ticket with { Severity = null };
        var changed = new List<SlaClock>();
        var events = new List<object>();
        foreach (var which in ticket.Kind == TicketKind.Fault ? FaultClocks : RequestClocks)
        {
            var clock = clocks.FirstOrDefault(c => c.Clock == which);
            var before = clock;
            var promise = targets.For(ticket, which);
            var excluded = targets.Excluded(ticket, which, promise.Calendar);
            var stoppedAt = which == ClockKind.Response ? ticket.AcknowledgedAt ?? ticket.ResolvedAt : ticket.ResolvedAt;
            if (clock is null)
            {
                clock = Start(ticket, which, promise, targets.Deadline(ticket.ReportedAt, promise, excluded), excluded, newId());
                events.Add(new SlaClockStarted(clock.ToFacts()));
            }
            else
            {
                clock = Adjust(clock, ticket, targets, promise, excluded, stoppedAt, events);
            }

            if (stoppedAt is { } at && clock.StoppedAt is null)
            {
                if (at > clock.Deadline && clock.State == ClockState.Running)
                {
                    // Stopped late, and the breach was never recorded (the ticket's events came late): record it first.
                    clock = Next(clock) with { State = ClockState.Breached, BreachedAt = now };
                    events.Add(new SlaBreached(clock.ToFacts()));
                }

                // Met when stopped in time, even if a breach was recorded because the stop arrived late.
                clock = Next(clock) with { State = at <= clock.Deadline ? ClockState.Met : ClockState.Breached, StoppedAt = at };
                events.Add(new SlaClockStopped(clock.ToFacts(), clock.Overrun));
            }
            else
            {
                clock = BreachIfDue(clock, now, events);
            }

            if (!ReferenceEquals(clock, before))
            {
                changed.Add(PlanWarning(clock, targets));
            }
        }

        return new ClockChanges(changed, events);
    }

    /// <summary>Resumes a reopened ticket's stopped clock, and moves a running clock's deadline to what the ticket now says.</summary>
    private static SlaClock Adjust(SlaClock clock, TicketFacts ticket, SlaTargets targets, Promise promise, TimeSpan excluded, DateTimeOffset? stoppedAt, List<object> events)
    {
        var adjusted = clock with { Reopens = ticket.Reopens };
        string? reason = null;
        // Reopened: the ticket is no longer resolved, or was resolved again after a reopen this clock never heard of.
        if (clock.Clock == ClockKind.Repair && clock.StoppedAt is not null && (stoppedAt is null || ticket.Reopens > clock.Reopens))
        {
            adjusted = adjusted with { StoppedAt = null, State = clock.State == ClockState.Met ? ClockState.Running : clock.State };
            reason = "reopened";
        }

        // Paused with a manager's approval: the repair or completion clock stands still until the ticket resumes.
        var paused = ticket.PausedAt is not null && clock.Clock != ClockKind.Response;
        if (paused && adjusted.State == ClockState.Running)
        {
            adjusted = adjusted with { State = ClockState.Paused };
            reason = "paused";
        }
        else if (!paused && adjusted.State == ClockState.Paused)
        {
            adjusted = adjusted with { State = ClockState.Running };
            reason = "resumed";
        }

        if (adjusted.State == ClockState.Running && (adjusted.Target != promise.Target || adjusted.Excluded != excluded || adjusted.Severity != ticket.Severity))
        {
            adjusted = adjusted with
            {
                Severity = ticket.Severity,
                TargetSeconds = (long)promise.Target.TotalSeconds,
                ExcludedMs = (long)excluded.TotalMilliseconds,
                Deadline = targets.Deadline(adjusted.StartedAt, promise, excluded),
            };
            reason ??= adjusted.Severity != clock.Severity ? "severity" : ticket.Reopens > clock.Reopens ? "reopened" : "resumed";
        }

        if (reason is null)
        {
            return clock;
        }

        adjusted = Next(adjusted);
        events.Add(new SlaClockAdjusted(adjusted.ToFacts(), reason));
        return adjusted;
    }

    /// <summary>When a running clock reaches its next warning point; none once it is stopped or breached.</summary>
    public static SlaClock PlanWarning(SlaClock clock, SlaTargets targets)
    {
        var next = clock.State != ClockState.Running ? null : targets.WarningPercents.Where(p => p > clock.WarnedPercent).Cast<int?>().FirstOrDefault();
        return clock with { NextWarningAt = next is { } percent ? targets.Moment(clock.StartedAt, clock.Promise, clock.Excluded, percent) : null };
    }

    /// <summary>
    /// The warning a running clock raises at <paramref name="now"/>: the highest warning point it has
    /// reached and not yet raised (a scanner that was down raises 80 % alone, not 50 % and 80 %), and
    /// when the next one falls. Null when no warning is due.
    /// </summary>
    public static (SlaClock Clock, SlaWarningRaised Warning)? WarnIfDue(SlaClock clock, SlaTargets targets, DateTimeOffset now)
    {
        if (clock.State != ClockState.Running)
        {
            return null;
        }

        var reached = targets.WarningPercents
            .Where(p => p > clock.WarnedPercent && targets.Moment(clock.StartedAt, clock.Promise, clock.Excluded, p) <= now)
            .Cast<int?>()
            .LastOrDefault();
        if (reached is not { } percent)
        {
            return null;
        }

        var warned = PlanWarning(Next(clock) with { WarnedPercent = percent }, targets);
        return (warned, new SlaWarningRaised(warned.ToFacts(), percent));
    }

    /// <summary>A running clock whose deadline is behind <paramref name="now"/> is breached now.</summary>
    public static SlaClock BreachIfDue(SlaClock clock, DateTimeOffset now, List<object> events)
    {
        if (clock.State != ClockState.Running || now <= clock.Deadline)
        {
            return clock;
        }

        var breached = Next(clock) with { State = ClockState.Breached, BreachedAt = now };
        events.Add(new SlaBreached(breached.ToFacts()));
        return breached;
    }

    private static SlaClock Start(TicketFacts ticket, ClockKind which, Promise promise, DateTimeOffset deadline, TimeSpan excluded, Guid id) => new()
    {
        Id = id,
        TicketId = ticket.TicketId,
        Clock = which,
        Sequence = 1,
        TicketNumber = ticket.Number,
        Contract = ticket.Contract,
        TicketKind = ticket.Kind,
        Severity = ticket.Severity,
        SiteCode = ticket.SiteCode,
        System = ticket.System,
        ReportedAt = ticket.ReportedAt,
        Grade = ticket.Grade,
        TargetSeconds = (long)promise.Target.TotalSeconds,
        Calendar = promise.Calendar,
        StartedAt = ticket.ReportedAt,
        Deadline = deadline,
        ExcludedMs = (long)excluded.TotalMilliseconds,
        Reopens = ticket.Reopens,
        State = ClockState.Running,
    };

    private static SlaClock Next(SlaClock clock) => clock with { Sequence = clock.Sequence + 1 };
}
