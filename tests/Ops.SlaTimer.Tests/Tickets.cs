using Ops.Contracts.Tickets;

namespace Ops.SlaTimer.Tests;

/// <summary>Ticket facts as the tickets service publishes them, to vary per test.</summary>
internal static class Tickets
{
    public static readonly DateTimeOffset Reported = new(2026, 11, 24, 1, 0, 0, TimeSpan.Zero);

    public static TicketFacts Fault(Severity severity = Severity.Severe, DateTimeOffset? reportedAt = null, Guid? id = null) => new()
    {
        TicketId = id ?? Guid.NewGuid(),
        Number = $"F20261124-{Random.Shared.Next(1, 9999):0000}",
        Version = 1,
        Contract = "OTQ-2026-OPS",
        Kind = TicketKind.Fault,
        Severity = severity,
        SiteCode = "OTQ",
        System = "综合一窗受理平台",
        Status = TicketStatus.Open,
        ReportedAt = reportedAt ?? Reported,
    };

    /// <summary>A service request of <paramref name="grade"/>, reported at <paramref name="reportedAt"/>.</summary>
    public static TicketFacts Request(string grade, DateTimeOffset reportedAt) => Fault(Severity.General, reportedAt) with
    {
        Number = $"R20261124-{Random.Shared.Next(1, 9999):0000}",
        Kind = TicketKind.Request,
        Grade = grade,
    };

    public static TicketFacts Acknowledged(this TicketFacts ticket, DateTimeOffset at) =>
        ticket with { Version = ticket.Version + 1, Status = TicketStatus.Acknowledged, AcknowledgedAt = at };

    public static TicketFacts Resolved(this TicketFacts ticket, DateTimeOffset at) =>
        ticket with { Version = ticket.Version + 1, Status = TicketStatus.Resolved, ResolvedAt = at, AcknowledgedAt = ticket.AcknowledgedAt ?? at };

    public static TicketFacts Paused(this TicketFacts ticket, DateTimeOffset at) => ticket with { Version = ticket.Version + 1, PausedAt = at };

    /// <summary>The pause ends at <paramref name="at"/>, as the tickets service records it.</summary>
    public static TicketFacts Resumed(this TicketFacts ticket, DateTimeOffset at) => ticket with
    {
        Version = ticket.Version + 1,
        PausedAt = null,
        Pauses = [.. ticket.Pauses, new PausePeriod(ticket.PausedAt!.Value, at)],
    };

    public static TicketFacts WithSeverity(this TicketFacts ticket, Severity severity) =>
        ticket with { Version = ticket.Version + 1, Severity = severity };

    /// <summary>Reopened at <paramref name="at"/>: the time since the resolution is set aside, as the tickets service does.</summary>
    public static TicketFacts Reopened(this TicketFacts ticket, DateTimeOffset at) => ticket with
    {
        Version = ticket.Version + 1,
        Status = TicketStatus.Acknowledged,
        ResolvedAt = null,
        Reopens = ticket.Reopens + 1,
        TimeResolved = ticket.TimeResolved + (at - ticket.ResolvedAt!.Value),
    };
}
