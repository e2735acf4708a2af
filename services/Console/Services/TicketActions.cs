namespace Ops.Console.Services;

/// <summary>
/// The changes a ticket's page offers to someone who works tickets (an engineer or a manager), as the tickets API
/// allows them for the ticket's state: the API decides every change, these only keep buttons it would refuse off the page.
/// </summary>
/// <param name="ChangeSeverity">The severity the fault may be changed to (the other one), or none.</param>
/// <param name="PauseReasons">The contract's reasons for a pause, when the ticket may ask for one; empty otherwise.</param>
public sealed record TicketActions(
    bool Acknowledge, bool Resolve, bool Reopen, string? ChangeSeverity, IReadOnlyList<string> PauseReasons, bool ApprovePause, bool DeclinePause, bool Resume)
{
    public static readonly TicketActions None = new(false, false, false, null, [], false, false, false);

    public bool Any => Acknowledge || Resolve || Reopen || ChangeSeverity is not null || PauseReasons.Count > 0 || ApprovePause || DeclinePause || Resume;

    /// <param name="reopenableUntil">The end of the contract's reopen window, for a resolved ticket.</param>
    /// <param name="pauseReasons">The contract's reasons for a pause of this kind of ticket; none when it allows no pause.</param>
    public static TicketActions For(TicketDetails ticket, bool isManager, DateTimeOffset now, DateTimeOffset? reopenableUntil, IReadOnlyList<string> pauseReasons)
    {
        var resolved = ticket.Status == "resolved";
        var fault = ticket.Kind == "fault";
        var waits = ticket.Pause is { WaitsForApproval: true };
        var paused = ticket.Pause is { WaitsForApproval: false };
        return new TicketActions(
            Acknowledge: ticket.Status == "open",
            Resolve: !resolved,
            // Only a fault is reopened, within the contract's window after its resolution.
            Reopen: fault && resolved && now <= reopenableUntil,
            // Raising the severity shortens the repair time; lowering it gives the contractor more, which only a manager may.
            ChangeSeverity: !fault || resolved ? null
                : ticket.Severity == "general" ? "severe"
                : ticket.Severity == "severe" && isManager ? "general"
                : null,
            PauseReasons: !resolved && ticket.Pause is null ? pauseReasons : [],
            ApprovePause: isManager && !resolved && waits,
            DeclinePause: isManager && !resolved && waits,
            Resume: !resolved && paused);
    }
}
