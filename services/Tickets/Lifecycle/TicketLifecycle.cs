using Ops.Contracts.Tickets;

namespace Ops.Tickets.Lifecycle;

/// <summary>The outcome of asking a ticket to change: the changed ticket and its timeline entry, or why it cannot.</summary>
public sealed record Transition(Ticket? Ticket, TimelineEntry? Entry, string? Conflict)
{
    public static Transition Refused(string conflict) => new(null, null, conflict);
}

/// <summary>
/// The ticket state machine: open → acknowledged → resolved, or open → resolved directly (which also
/// counts as the response). Times are the server's, passed in; nothing here reads a clock.
/// </summary>
public static class TicketLifecycle
{
    public static Transition Acknowledge(Ticket ticket, string engineer, DateTimeOffset now) => ticket.Status switch
    {
        TicketStatus.Open => Changed(
            ticket with { Status = TicketStatus.Acknowledged, AcknowledgedAt = now, AcknowledgedBy = engineer },
            now, "acknowledged", engineer, null),
        TicketStatus.Acknowledged => Transition.Refused($"Ticket {ticket.Number} was already acknowledged by {ticket.AcknowledgedBy}."),
        _ => Transition.Refused($"Ticket {ticket.Number} is {Describe(ticket.Status)} and cannot be acknowledged."),
    };

    public static Transition Resolve(Ticket ticket, string engineer, string resolution, DateTimeOffset now) => ticket.Status switch
    {
        TicketStatus.Open or TicketStatus.Acknowledged => Changed(
            ticket with
            {
                Status = TicketStatus.Resolved,
                ResolvedAt = now,
                ResolvedBy = engineer,
                Resolution = resolution,
                // Resolving an unacknowledged fault is also its response.
                AcknowledgedAt = ticket.AcknowledgedAt ?? now,
                AcknowledgedBy = ticket.AcknowledgedBy ?? engineer,
            },
            now, "resolved", engineer, resolution),
        _ => Transition.Refused($"Ticket {ticket.Number} is {Describe(ticket.Status)} and cannot be resolved again."),
    };

    private static Transition Changed(Ticket changed, DateTimeOffset now, string action, string actor, string? detail)
    {
        var next = changed with { Version = changed.Version + 1, UpdatedAt = now };
        return new Transition(next, new TimelineEntry { TicketId = next.Id, Version = next.Version, At = now, Action = action, Actor = actor, Detail = detail }, null);
    }

    private static string Describe(TicketStatus status) => status.ToString().ToLowerInvariant();
}
