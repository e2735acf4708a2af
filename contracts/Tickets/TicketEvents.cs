namespace Ops.Contracts.Tickets;

/// <summary>A fault or request was reported through intake.</summary>
/// <param name="Ticket">The ticket as reported.</param>
/// <param name="Channel">phone, wechat, web or inspection.</param>
/// <param name="Title">The reporter's one-line summary.</param>
/// <param name="ReporterPhoneMasked">The reporter's phone, masked like 138****1234: the bus never carries it whole.</param>
public sealed record TicketReported(TicketFacts Ticket, string Channel, string Title, string ReporterPhoneMasked);

/// <summary>An engineer acknowledged the ticket; this stops its response clock.</summary>
public sealed record TicketAcknowledged(TicketFacts Ticket, string By, DateTimeOffset At);

/// <summary>The ticket was resolved; this stops its repair clock (and its response clock, if still running).</summary>
public sealed record TicketResolved(TicketFacts Ticket, string By, DateTimeOffset At, string Resolution);

/// <summary>The fault's severity changed (<paramref name="From"/> → the ticket's severity); its repair clock is recomputed from the report.</summary>
public sealed record TicketSeverityChanged(TicketFacts Ticket, string By, DateTimeOffset At, Severity From, string Reason);

/// <summary>
/// A pause was asked for (<paramref name="Approved"/> false: it waits for a manager) or approved (the
/// ticket's repair or completion clock stands still from <see cref="TicketFacts.PausedAt"/>).
/// </summary>
public sealed record TicketPaused(TicketFacts Ticket, string By, DateTimeOffset At, string Reason, bool Approved);

/// <summary>A pause ended (or a pause asked for was declined): the ticket's clock runs on.</summary>
public sealed record TicketResumed(TicketFacts Ticket, string By, DateTimeOffset At);

/// <summary>A resolved ticket was reopened; its repair clock resumes, and the time it spent resolved does not count.</summary>
public sealed record TicketReopened(TicketFacts Ticket, string By, DateTimeOffset At, string Reason);
