namespace Ops.Contracts.Tickets;

/// <summary>
/// An engineer on the contract's rota acknowledged the ticket from a notice outside the console (a WeCom card's
/// 确认响应 button); the tickets service records it in their name, once.
/// </summary>
/// <param name="Engineer">The rota engineer's name, as the timeline shows it.</param>
/// <param name="EngineerId">The rota's key for the engineer.</param>
/// <param name="Username">Their local user name, when they have one: the acknowledgement is then theirs as a user.</param>
/// <param name="Via">Where it was pressed: <c>wecom</c>.</param>
/// <param name="At">The server time of the press.</param>
/// <param name="EventId">The press's own id: the same press delivered twice acknowledges once.</param>
public sealed record AcknowledgeTicket(Guid TicketId, string Number, string Engineer, string EngineerId, string? Username, string Via, DateTimeOffset At, string EventId);
