using MassTransit;
using Ops.Contracts.Sla;
using Ops.Scoring.Ledger;

namespace Ops.Scoring.Consumers;

/// <summary>
/// Records every SLA event in the ledger and the dashboard's clock facts. All of them carry the
/// whole clock as of its sequence, so they are handled alike: the newest sequence wins, and a breach
/// delivered twice deducts once.
/// </summary>
public sealed class SlaEventConsumer(DeductionLedger ledger, TimeProvider time) :
    IConsumer<SlaClockStarted>,
    IConsumer<SlaBreached>,
    IConsumer<SlaClockStopped>,
    IConsumer<SlaClockAdjusted>
{
    public Task Consume(ConsumeContext<SlaClockStarted> context) => Record(context.Message.Clock, context.CancellationToken);

    public Task Consume(ConsumeContext<SlaBreached> context) => Record(context.Message.Clock, context.CancellationToken);

    public Task Consume(ConsumeContext<SlaClockStopped> context) => Record(context.Message.Clock, context.CancellationToken);

    public Task Consume(ConsumeContext<SlaClockAdjusted> context) => Record(context.Message.Clock, context.CancellationToken);

    private Task Record(ClockFacts clock, CancellationToken cancellationToken) =>
        ledger.RecordClockAsync(clock, time.GetUtcNow(), cancellationToken);
}
