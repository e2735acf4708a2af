using MassTransit;
using Ops.Contracts.Tickets;
using Ops.SlaTimer.Storage;

namespace Ops.SlaTimer.Consumers;

/// <summary>
/// Applies every ticket event to the ticket's clocks. All of them carry the whole ticket as of
/// its version, so they are handled alike: the newest version wins, older and repeated ones change nothing.
/// </summary>
public sealed class TicketEventConsumer(ClockStore clocks, TimeProvider time) :
    IConsumer<TicketReported>,
    IConsumer<TicketAcknowledged>,
    IConsumer<TicketResolved>,
    IConsumer<TicketSeverityChanged>,
    IConsumer<TicketReopened>,
    IConsumer<TicketPaused>,
    IConsumer<TicketResumed>
{
    public Task Consume(ConsumeContext<TicketReported> context) => Apply(context.Message.Ticket, context.CancellationToken, context.Message.Title);

    public Task Consume(ConsumeContext<TicketAcknowledged> context) => Apply(context.Message.Ticket, context.CancellationToken);

    public Task Consume(ConsumeContext<TicketResolved> context) => Apply(context.Message.Ticket, context.CancellationToken);

    public Task Consume(ConsumeContext<TicketSeverityChanged> context) => Apply(context.Message.Ticket, context.CancellationToken);

    public Task Consume(ConsumeContext<TicketReopened> context) => Apply(context.Message.Ticket, context.CancellationToken);

    public Task Consume(ConsumeContext<TicketPaused> context) => Apply(context.Message.Ticket, context.CancellationToken);

    public Task Consume(ConsumeContext<TicketResumed> context) => Apply(context.Message.Ticket, context.CancellationToken);

    private Task Apply(TicketFacts ticket, CancellationToken cancellationToken, string? title = null) =>
        clocks.ApplyTicketAsync(ticket, time.GetUtcNow(), cancellationToken, title);
}
