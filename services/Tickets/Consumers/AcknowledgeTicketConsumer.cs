using MassTransit;
using Ops.Contracts.Tickets;
using Ops.Hosting.Security;
using Ops.Tickets.Access;
using Ops.Tickets.Lifecycle;
using Ops.Tickets.Storage;

namespace Ops.Tickets.Consumers;

/// <summary>
/// An acknowledgement made outside the console (a WeCom card's 确认响应), sent by the sla-timer in the pressing
/// engineer's name: as the local user the rota names when that user exists, is enabled and is an engineer or a
/// manager (a mistyped or disabled name is never credited), else as the rota's engineer. Idempotent: a ticket that
/// is no longer open (this command delivered twice, or acknowledged meanwhile) is left as it is.
/// </summary>
public sealed class AcknowledgeTicketConsumer(TicketStore store, UserStore users, ILogger<AcknowledgeTicketConsumer> log) : IConsumer<AcknowledgeTicket>
{
    public async Task Consume(ConsumeContext<AcknowledgeTicket> context)
    {
        var command = context.Message;
        var user = command.Username is { Length: > 0 } username ? await users.FindAsync(username, context.CancellationToken) : null;
        var engineer = user is { DisabledAt: null, Role: Roles.Engineer or Roles.Manager }
            ? new Actor(UserStore.Subject(user.Username), user.DisplayName)
            : new Actor($"oncall:{command.EngineerId}", command.Engineer);
        var via = TicketLifecycle.Vias.ContainsKey(command.Via) ? command.Via : null;
        var (result, ticket, conflict) = await store.ChangeAsync(
            command.TicketId.ToString(),
            Scope.All,
            t => TicketLifecycle.Acknowledge(t, engineer, command.At, via),
            (_, t) => new TicketAcknowledged(t.ToFacts(), engineer.Name, command.At),
            context.CancellationToken);

        switch (result)
        {
            case ChangeResult.Conflict when ticket is { Status: TicketStatus.Open }:
                throw new InvalidOperationException($"Ticket {command.Number} changed meanwhile; the acknowledgement will be retried.");
            case ChangeResult.Conflict or ChangeResult.NotFound or ChangeResult.Forbidden:
                log.LogInformation("The acknowledgement of ticket {Number} by {Engineer} via {Via} (event {EventId}) changed nothing: {Why}", command.Number, command.Engineer, command.Via, command.EventId, conflict ?? result.ToString());
                break;
        }
    }
}
