using System.Diagnostics.Metrics;
using Ops.Contracts.Tickets;
using Ops.Tickets.Lifecycle;

namespace Ops.Tickets.Intake;

/// <summary><c>ops_tickets_reported_total{contract,site,kind}</c>: the tickets stored from reports.</summary>
public sealed class IntakeMetrics
{
    /// <summary>The tickets service's meter.</summary>
    public const string Meter = "Ops.Tickets";

    private readonly Counter<long> reported;

    public IntakeMetrics(IMeterFactory meters) =>
        reported = meters.Create(Meter).CreateCounter<long>("ops.tickets.reported", "{ticket}",
            "Tickets stored from reports; a report replayed with its Idempotency-Key or externalRef is not counted again.");

    /// <summary>Counts a ticket once it is stored.</summary>
    public void Reported(Ticket ticket) =>
        reported.Add(1,
            new KeyValuePair<string, object?>("contract", ticket.Contract),
            new KeyValuePair<string, object?>("site", ticket.SiteCode),
            new KeyValuePair<string, object?>("kind", ticket.Kind == TicketKind.Fault ? "fault" : "request"));
}
