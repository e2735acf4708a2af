using Ops.Contracts.Tickets;
using Ops.Tickets.Intake;
using Ops.Tickets.Lifecycle;

namespace Ops.Tickets.Queries;

/// <summary>A ticket with its timeline; <c>severity</c> is a fault's, null for a service request. The reporter's phone is whole only for those who call back (engineers, managers).</summary>
public sealed record TicketView(
    Guid Id,
    string Number,
    TicketStatus Status,
    TicketKind Kind,
    Severity? Severity,
    string? Grade,
    string Contract,
    string Channel,
    string SiteCode,
    string System,
    string Title,
    string? Description,
    ReporterView Reporter,
    DateTimeOffset ReportedAt,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    string? AcknowledgedById,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy,
    string? ResolvedById,
    string? Resolution,
    string? ExternalRef,
    int Reopens,
    TicketPauseView? Pause,
    long Version,
    IReadOnlyList<TimelineView> Timeline)
{
    public static TicketView Of(Ticket t, IReadOnlyList<TimelineEntry> timeline, bool fullPhone) => new(
        t.Id, t.Number, t.Status, t.Kind, t.Severity, t.Grade, t.Contract, t.Channel, t.SiteCode, t.System, t.Title, t.Description,
        new ReporterView(t.ReporterName, fullPhone ? t.ReporterPhone : Phone.Mask(t.ReporterPhone)), t.ReportedAt, t.AcknowledgedAt, t.AcknowledgedBy,
        t.AcknowledgedById, t.ResolvedAt, t.ResolvedBy, t.ResolvedById, t.Resolution, t.ExternalRef, t.Reopens, TicketPauseView.Of(t), t.Version,
        [.. timeline.Select(e => new TimelineView(e.At, e.Action, e.Actor, e.ActorId, e.Detail))]);
}

/// <summary>
/// The ticket's pause: asked for and waiting for a manager (<c>pausedAt</c> null), or in force since <c>pausedAt</c>;
/// who asked for it and when stay shown after the approval.
/// </summary>
public sealed record TicketPauseView(string Reason, DateTimeOffset? RequestedAt, string? RequestedBy, string? RequestedById, DateTimeOffset? PausedAt)
{
    public static TicketPauseView? Of(Ticket t) =>
        t.PauseReason is null ? null : new TicketPauseView(t.PauseReason, t.PauseRequestedAt, t.PauseRequestedBy, t.PauseRequestedById, t.PausedAt);
}

/// <summary>Who reported a ticket.</summary>
public sealed record ReporterView(string Name, string Phone);

/// <summary>
/// One event in a ticket's life, at server time. <c>actor</c> is the name people read; <c>actorId</c> the one
/// identity that acted (<c>user:</c> and a username, the single sign-on's subject, or <c>key:</c> and an API
/// key's id), null on entries recorded before it was kept. Every <c>…By</c> name has its <c>…ById</c> the same way.
/// </summary>
public sealed record TimelineView(DateTimeOffset At, string Action, string Actor, string? ActorId, string? Detail);

/// <summary>A ticket in a list; the reporter's phone is masked (138****1234).</summary>
public sealed record TicketSummary(
    Guid Id,
    string Number,
    TicketStatus Status,
    TicketKind Kind,
    Severity? Severity,
    string? Grade,
    string SiteCode,
    string System,
    string Title,
    ReporterView Reporter,
    DateTimeOffset ReportedAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? ResolvedAt)
{
    public static TicketSummary Of(Ticket t) => new(
        t.Id, t.Number, t.Status, t.Kind, t.Severity, t.Grade, t.SiteCode, t.System, t.Title,
        new ReporterView(t.ReporterName, Phone.Mask(t.ReporterPhone)), t.ReportedAt, t.AcknowledgedAt, t.ResolvedAt);
}

/// <summary>One page of tickets, newest report first, and how many match in all.</summary>
public sealed record TicketPage(IReadOnlyList<TicketSummary> Items, long Total, int Limit, int Offset);
