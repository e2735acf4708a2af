using System.Xml;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;

namespace Ops.SlaTimer.Clocks;

/// <summary>
/// A clock as the API shows it. Durations are ISO 8601 (PT30M, PT4H, P1D). The deadline is the start
/// plus the target (in working time when <c>calendar</c> is <c>working</c>) plus <c>excluded</c>, the
/// time that does not count (a reopened ticket's time resolved).
/// </summary>
public sealed record ClockView(
    Guid Id,
    Guid TicketId,
    string TicketNumber,
    ClockKind Clock,
    TicketKind Kind,
    Severity? Severity,
    string? Grade,
    string SiteCode,
    string System,
    string Target,
    ClockCalendar Calendar,
    DateTimeOffset StartedAt,
    DateTimeOffset Deadline,
    ClockState State,
    DateTimeOffset? BreachedAt,
    DateTimeOffset? StoppedAt,
    string? Overrun,
    string Excluded,
    int Reopens)
{
    public static ClockView Of(SlaClock c) => new(
        c.Id, c.TicketId, c.TicketNumber, c.Clock, c.TicketKind, c.Severity, c.Grade, c.SiteCode, c.System,
        XmlConvert.ToString(c.Target), c.Calendar, c.StartedAt, c.Deadline, c.State, c.BreachedAt, c.StoppedAt,
        c.StoppedAt is null ? null : XmlConvert.ToString(c.Overrun), XmlConvert.ToString(c.Excluded), c.Reopens);
}

/// <summary>One page of clocks, earliest deadline first.</summary>
public sealed record ClockPage(IReadOnlyList<ClockView> Items, long Total, int Limit, int Offset);
