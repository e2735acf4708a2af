using Ops.Contracts.Tickets;
using Ops.Hosting.Http;
using Ops.Hosting.Security;
using Ops.Tickets.Intake;

namespace Ops.Tickets.Lifecycle;

/// <summary>
/// The outcome of asking a ticket to change: the changed ticket and its timeline entry, or why it cannot —
/// because of the state it is in (a conflict), or because this caller may not make the change (forbidden).
/// </summary>
public sealed record Transition(Ticket? Ticket, TimelineEntry? Entry, string? Conflict, bool Forbidden = false)
{
    public static Transition Refused(string conflict) => new(null, null, conflict);

    public static Transition NotAllowed(string why) => new(null, null, why, Forbidden: true);
}

/// <summary>
/// The ticket state machine: open → acknowledged → resolved, or open → resolved directly (which also
/// counts as the response); a resolved fault may be reopened within the contract's window, and goes
/// back to acknowledged. A fault's severity may change until it is resolved. A service request is
/// acknowledged and resolved (completed) the same way, but has a grade instead of a severity and is
/// never reopened. Times are the server's,
/// passed in; nothing here reads a clock.
/// </summary>
public static class TicketLifecycle
{
    public static Transition Acknowledge(Ticket ticket, Actor engineer, DateTimeOffset now) => ticket.Status switch
    {
        TicketStatus.Open => Changed(
            ticket with { Status = TicketStatus.Acknowledged, AcknowledgedAt = now, AcknowledgedBy = engineer.Name, AcknowledgedById = engineer.Id },
            now, "acknowledged", engineer, null),
        TicketStatus.Acknowledged => Transition.Refused($"Ticket {ticket.Number} was already acknowledged by {ticket.AcknowledgedBy}."),
        _ => Transition.Refused($"Ticket {ticket.Number} is {Describe(ticket.Status)} and cannot be acknowledged."),
    };

    public static Transition Resolve(Ticket ticket, Actor engineer, string resolution, DateTimeOffset now) => ticket.Status switch
    {
        TicketStatus.Open or TicketStatus.Acknowledged => Changed(
            ticket.PauseEnded(now) with
            {
                Status = TicketStatus.Resolved,
                ResolvedAt = now,
                ResolvedBy = engineer.Name,
                ResolvedById = engineer.Id,
                Resolution = resolution,
                // Resolving an unacknowledged fault is also its response.
                AcknowledgedAt = ticket.AcknowledgedAt ?? now,
                AcknowledgedBy = ticket.AcknowledgedAt is null ? engineer.Name : ticket.AcknowledgedBy,
                AcknowledgedById = ticket.AcknowledgedAt is null ? engineer.Id : ticket.AcknowledgedById,
            },
            now, "resolved", engineer, resolution),
        _ => Transition.Refused($"Ticket {ticket.Number} is {Describe(ticket.Status)} and cannot be resolved again."),
    };

    /// <summary>
    /// A fault's severity changes, with a reason; the repair clock is recomputed from the report. Lowering it
    /// gives the contractor more time, so only a caller who <paramref name="mayLower"/> (a manager) may.
    /// </summary>
    public static Transition ChangeSeverity(Ticket ticket, Severity severity, string reason, Actor actor, bool mayLower, DateTimeOffset now) =>
        ticket.Kind != TicketKind.Fault ? Transition.Refused($"Ticket {ticket.Number} is a service request; it has a grade, not a severity.")
        : ticket.Status == TicketStatus.Resolved ? Transition.Refused($"Ticket {ticket.Number} is resolved; reopen it before changing its severity.")
        : ticket.Severity == severity ? Transition.Refused($"Ticket {ticket.Number} is already {Describe(severity)}.")
        : severity < ticket.Severity && !mayLower ? Transition.NotAllowed("Engineers may raise a fault's severity; lowering it gives the contractor more time and needs a manager.")
        : Changed(ticket with { Severity = severity }, now, "severity changed", actor, $"{Describe(ticket.Severity)} → {Describe(severity)}: {reason}");

    /// <summary>
    /// A resolved ticket is reopened within <paramref name="window"/> of its resolution: it goes back to
    /// acknowledged (it was answered already), and the time it spent resolved is set aside so that it does
    /// not count against the repair clock.
    /// </summary>
    public static Transition Reopen(Ticket ticket, string reason, Actor actor, DateTimeOffset now, TimeSpan window)
    {
        if (ticket.Kind != TicketKind.Fault)
        {
            return Transition.Refused($"Ticket {ticket.Number} is a service request; only faults are reopened, and a new need is a new request.");
        }

        if (ticket is not { Status: TicketStatus.Resolved, ResolvedAt: { } resolvedAt })
        {
            return Transition.Refused($"Ticket {ticket.Number} is {Describe(ticket.Status)}; only a resolved ticket can be reopened.");
        }

        if (now - resolvedAt > window)
        {
            return Transition.Refused($"Ticket {ticket.Number} was resolved more than {Durations.InWords(window)} ago; report a new fault instead.");
        }

        var resolvedFor = (long)Math.Max(0, (now - resolvedAt).TotalMilliseconds);
        return Changed(
            ticket with
            {
                Status = TicketStatus.Acknowledged,
                ResolvedAt = null,
                ResolvedBy = null,
                ResolvedById = null,
                Resolution = null,
                Reopens = ticket.Reopens + 1,
                TimeResolvedMs = ticket.TimeResolvedMs + resolvedFor,
            },
            now, "reopened", actor, reason);
    }

    /// <summary>
    /// Asks for the ticket's repair or completion clock to stand still, for one of the contract's reasons.
    /// A manager's request is approved at once; an engineer's waits for a manager. The clock stands still
    /// from the approval on.
    /// </summary>
    public static Transition RequestPause(Ticket ticket, string reason, Actor actor, bool isManager, PausePolicy policy, DateTimeOffset now)
    {
        if (!policy.Allows(ticket.Kind))
        {
            return Transition.Refused($"Contract {ticket.Contract} does not let the clocks of a {Describe(ticket.Kind)} stand still.");
        }

        var refusal = ticket.Status == TicketStatus.Resolved ? $"Ticket {ticket.Number} is resolved."
            : ticket.PausedAt is not null ? $"Ticket {ticket.Number} is paused already."
            : WaitsForApproval(ticket) ? $"A pause of ticket {ticket.Number} waits for a manager already."
            : null;
        if (refusal is not null)
        {
            return Transition.Refused(refusal);
        }

        // Who asked and when stay on the ticket for as long as the pause lasts; a manager's own pause is asked and approved at once.
        var asked = ticket with { PauseRequestedAt = now, PauseRequestedBy = actor.Name, PauseRequestedById = actor.Id, PauseReason = reason };
        return isManager
            ? Changed(asked with { PausedAt = now }, now, "paused", actor, reason)
            : Changed(asked, now, "pause requested", actor, reason);
    }

    /// <summary>A manager approves the pause an engineer asked for: the clock stands still from now on.</summary>
    public static Transition ApprovePause(Ticket ticket, Actor manager, DateTimeOffset now) =>
        !WaitsForApproval(ticket)
            ? Transition.Refused($"No pause of ticket {ticket.Number} waits for approval.")
            : Changed(ticket with { PausedAt = now }, now, "pause approved", manager,
                $"{ticket.PauseReason} (asked by {ticket.PauseRequestedBy})");

    /// <summary>A manager declines the pause an engineer asked for, saying why.</summary>
    public static Transition DeclinePause(Ticket ticket, Actor manager, string why, DateTimeOffset now) =>
        !WaitsForApproval(ticket)
            ? Transition.Refused($"No pause of ticket {ticket.Number} waits for approval.")
            : Changed(ticket.PauseEnded(now), now, "pause declined", manager, why);

    /// <summary>The paused ticket's clock runs on; the pause's time does not count.</summary>
    public static Transition Resume(Ticket ticket, Actor actor, DateTimeOffset now) =>
        ticket.PausedAt is null
            ? Transition.Refused($"Ticket {ticket.Number} is not paused.")
            : Changed(ticket.PauseEnded(now), now, "resumed", actor, null);

    /// <summary>A pause was asked for and no manager has approved it yet.</summary>
    private static bool WaitsForApproval(Ticket ticket) => ticket is { PauseRequestedAt: not null, PausedAt: null };

    private static Transition Changed(Ticket changed, DateTimeOffset now, string action, Actor actor, string? detail)
    {
        var next = changed with { Version = changed.Version + 1, UpdatedAt = now };
        return new Transition(next, new TimelineEntry { TicketId = next.Id, Version = next.Version, At = now, Action = action, Actor = actor.Name, ActorId = actor.Id, Detail = detail }, null);
    }

    private static string Describe(TicketStatus status) => status.ToString().ToLowerInvariant();

    private static string Describe(Severity? severity) => severity?.ToString().ToLowerInvariant() ?? "without severity";

    private static string Describe(TicketKind kind) => kind == TicketKind.Fault ? "fault" : "service request";
}
