using MassTransit;
using Ops.Contracts.Sla;

namespace Ops.SlaTimer.Notifications;

/// <summary>
/// Tells the contract's escalation chain of every warning and breach: each level from its stage on,
/// once per clock, stage and level, and records what became of each notice. A level that cannot be
/// reached is recorded as failed (and shows in readiness); it holds up neither the others nor the bus.
/// </summary>
public sealed class NotificationConsumer(
    EscalationBook escalation, NotificationStore store, NotificationSender sender, TimeProvider time, ILogger<NotificationConsumer> logger) :
    IConsumer<SlaWarningRaised>,
    IConsumer<SlaBreached>
{
    public Task Consume(ConsumeContext<SlaWarningRaised> context) => NotifyAsync(new Notice(context.Message.Clock, context.Message.Percent), context.CancellationToken);

    public Task Consume(ConsumeContext<SlaBreached> context) => NotifyAsync(new Notice(context.Message.Clock, 100), context.CancellationToken);

    private async Task NotifyAsync(Notice notice, CancellationToken cancellationToken)
    {
        var levels = escalation.For(notice.Clock.Contract).At(notice.Stage).ToList();
        await Task.WhenAll(levels.Select(level => NotifyAsync(level, notice, cancellationToken)));
    }

    private async Task NotifyAsync(EscalationLevel level, Notice notice, CancellationToken cancellationToken)
    {
        var notification = new Notification
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            ClockId = notice.Clock.ClockId,
            TicketNumber = notice.Clock.TicketNumber,
            Contract = notice.Clock.Contract,
            Clock = notice.Clock.Clock.ToString().ToLowerInvariant(),
            Stage = notice.Stage,
            Level = level.Name,
            Channel = level.Channel,
            Status = NotificationStatus.Sending,
            Attempts = 0,
            CreatedAt = time.GetUtcNow(),
        };
        if (!await store.ClaimAsync(notification, cancellationToken))
        {
            return;
        }

        var (attempts, error) = await sender.SendAsync(level, notice, cancellationToken);
        if (error is not null)
        {
            logger.LogWarning("Could not tell {Level} over {Channel} of {Ticket} ({Clock}, stage {Stage}) in {Attempts} calls: {Error}",
                level.Name, level.Channel, notice.Clock.TicketNumber, notice.Clock.Clock, notice.Stage, attempts, error);
        }

        await store.FinishAsync(notification.Id, error is null ? NotificationStatus.Sent : NotificationStatus.Failed, attempts, error, time.GetUtcNow(), cancellationToken);
    }
}

/// <summary>The escalation chain of every configured contract; a contract without one tells nobody.</summary>
public sealed class EscalationBook(IReadOnlyDictionary<string, EscalationChain> chains)
{
    public EscalationChain For(string contract) => chains.GetValueOrDefault(contract) ?? new EscalationChain();

    public static EscalationBook From(IConfiguration configuration) =>
        new(configuration.GetSection("Contracts").GetChildren()
            .ToDictionary(c => c.Key, c => c.GetSection("Escalation").Get<EscalationChain>() ?? new EscalationChain()));
}
