namespace Ops.Contracts.Tickets;

/// <summary>Whether a ticket is a fault (something broke) or a service request (someone needs something done).</summary>
public enum TicketKind
{
    Fault,

    /// <summary>A service request (服务请求): graded, with its own response and completion targets.</summary>
    Request,
}

/// <summary>How bad a fault is; the contract's 一般故障 (general) and 严重故障 (severe).</summary>
public enum Severity
{
    General,
    Severe,
}

/// <summary>Where a ticket is in its life.</summary>
public enum TicketStatus
{
    Open,
    Acknowledged,
    Resolved,
}

/// <summary>
/// A ticket as of one version. Every ticket event carries it, so a consumer that sees events late,
/// twice or out of order keeps the highest <see cref="Version"/> and needs nothing else.
/// </summary>
public sealed record TicketFacts
{
    public required Guid TicketId { get; init; }

    /// <summary>The human ticket number, e.g. F20261124-0001.</summary>
    public required string Number { get; init; }

    /// <summary>Grows by one with every change of the ticket.</summary>
    public required long Version { get; init; }

    /// <summary>The contract the ticket is measured against, e.g. OTQ-2026-OPS.</summary>
    public required string Contract { get; init; }

    public required TicketKind Kind { get; init; }
    /// <summary>
    /// A fault's severity; none for a service request, which has a <see cref="Grade"/> instead. (Events written
    /// before requests lost their severity carry <c>general</c> for them: a reader goes by <see cref="Kind"/>.)
    /// </summary>
    public required Severity? Severity { get; init; }

    /// <summary>A service request's grade as its contract names them (the seed: urgent, normal, low); none for a fault.</summary>
    public string? Grade { get; init; }
    public required string SiteCode { get; init; }
    public required string System { get; init; }
    public required TicketStatus Status { get; init; }

    /// <summary>When the fault was reported (UTC); every clock starts here.</summary>
    public required DateTimeOffset ReportedAt { get; init; }

    /// <summary>Server time of the first acknowledgement, if any.</summary>
    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>Server time of the resolution, if any; none while a reopened ticket is being worked on again.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>How often the ticket was reopened after a resolution.</summary>
    public int Reopens { get; init; }

    /// <summary>The time the ticket spent resolved before it was reopened: it does not count against the repair clock.</summary>
    public TimeSpan TimeResolved { get; init; }

    /// <summary>Since when the ticket is paused with a manager's approval (its repair or completion clock stands still); none when it is not.</summary>
    public DateTimeOffset? PausedAt { get; init; }

    /// <summary>The pauses that ended: their time does not count against the repair or completion clock.</summary>
    public IReadOnlyList<PausePeriod> Pauses { get; init; } = [];
}

/// <summary>An approved pause, from its approval to its end.</summary>
public sealed record PausePeriod(DateTimeOffset From, DateTimeOffset To);
