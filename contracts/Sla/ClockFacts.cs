using Ops.Contracts.Tickets;

namespace Ops.Contracts.Sla;

/// <summary>Which promise a clock measures.</summary>
public enum ClockKind
{
    /// <summary>From the report to the first acknowledgement (响应).</summary>
    Response,

    /// <summary>From the report to the resolution of a fault (修复).</summary>
    Repair,

    /// <summary>From the report to the completion of a service request (办结).</summary>
    Completion,
}

/// <summary>What time a clock counts.</summary>
public enum ClockCalendar
{
    /// <summary>Every hour, day and night (the contract's 7×24 for faults).</summary>
    Continuous,

    /// <summary>Working time only: office hours on working days, less public holidays, plus make-up working days (调休).</summary>
    Working,
}

/// <summary>A clock is running until it is stopped; it is breached the moment its deadline passes while running.</summary>
public enum ClockState
{
    Running,
    Met,
    Breached,

    /// <summary>Stands still while its ticket is paused with a manager's approval; it runs on when the ticket resumes.</summary>
    Paused,
}

/// <summary>
/// An SLA clock as of one change. Every SLA event carries it whole, with the ticket facts a reader
/// needs, so a consumer keeps the highest <see cref="Sequence"/> and needs nothing else.
/// </summary>
public sealed record ClockFacts
{
    public required Guid ClockId { get; init; }
    public required ClockKind Clock { get; init; }

    /// <summary>Grows by one with every change of the clock.</summary>
    public required long Sequence { get; init; }

    public required Guid TicketId { get; init; }
    public required string TicketNumber { get; init; }
    public required string Contract { get; init; }
    public required TicketKind Kind { get; init; }

    /// <summary>A fault's severity; none for a service request's clock (older events carry <c>general</c> for it: go by <see cref="Kind"/>).</summary>
    public required Severity? Severity { get; init; }
    public required string SiteCode { get; init; }
    public required string System { get; init; }
    public required DateTimeOffset ReportedAt { get; init; }

    /// <summary>The promised duration, e.g. 30 minutes or 4 hours.</summary>
    public required TimeSpan Target { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The last moment at which stopping the clock still meets the target.</summary>
    public required DateTimeOffset Deadline { get; init; }

    public required ClockState State { get; init; }

    /// <summary>When the breach was recorded: at the deadline in a running service, later after an outage.</summary>
    public DateTimeOffset? BreachedAt { get; init; }

    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>Time that does not count against the target (time spent resolved before a reopen); the deadline is later by this much.</summary>
    public TimeSpan Excluded { get; init; }

    /// <summary>How often the ticket was reopened (kept on the repair clock).</summary>
    public int Reopens { get; init; }

    /// <summary>A service request's grade (e.g. urgent, normal, low); none for a fault.</summary>
    public string? Grade { get; init; }

    /// <summary>Whether <see cref="Target"/> is continuous time or working time.</summary>
    public ClockCalendar Calendar { get; init; }
}
