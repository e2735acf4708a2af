using Ops.Contracts.Tickets;
using Ops.Hosting.Http;
using Ops.Hosting.Security;
using Ops.Tickets.Intake;

namespace Ops.Tickets.Lifecycle;

/// <summary>
/// The outcome of asking a ticket to change: the changed ticket and its timeline entry, or why it cannot —
/// because of the state it is in (a conflict), or because this caller may not make the change (forbidden).
/// </summary>
public sealed record Transition(Ticket? Ticket, TimelineEntry? Entry, string? Conflict, bool Forbidden = false)
{
    public static Transition Refused(string conflict) => new(null, null, conflict);

    public static Transition NotAllowed(string why) => new(null, null, why, Forbidden: true);
}

/// <summary>
/// The ticket state machine: open → acknowledged → resolved, or open → resolved directly (which also
/// counts as the response); a resolved fault may be reopened within the contract's window, and goes
/// back to acknowledged. A fault's severity may change until it is resolved. A service request is
/// acknowledged and resolved (completed) the same way, but has a grade instead of a severity and is
/// never reopened. Times are the server's,
/// passed in; nothing here reads a clock.
/// </summary>
public static class TicketLifecycle
{
    /// <summary>The console's button, the one <c>via</c> the HTTP API takes.</summary>
    public const string ViaConsole = "console";

    /// <summary>Where an acknowledgement may come from besides the API itself: the console's button, or a WeCom card's.</summary>
    public static readonly IReadOnlyDictionary<string, string> Vias = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["console"] = "经控制台",
        ["wecom"] = "经企业微信",
    };

    /// <summary>The ticket is acknowledged; <paramref name="via"/> (console, wecom; none for the API) goes on the timeline as 经控制台 / 经企业微信.</summary>
    public static Transition Acknowledge(Ticket ticket, Actor engineer, DateTimeOffset now, string? via = null) => ticket.Status switch
    {
        TicketStatus.Open => Changed(
            ticket with { Status = TicketStatus.Acknowledged, AcknowledgedAt = now, AcknowledgedBy = engineer.Name, AcknowledgedById = engineer.Id },
            now, "acknowledged", engineer, via is null ? null : Vias[via]),
        TicketStatus.Acknowledged => Transition.Refused(L10n.Of(
            $"工单 {ticket.Number} 已由 {ticket.AcknowledgedBy} 响应。",
            $"Ticket {ticket.Number} was already acknowledged by {ticket.AcknowledgedBy}.")),
        _ => Transition.Refused(L10n.Of(
            $"工单 {ticket.Number} {Describe(ticket.Status)}，不能再响应。",
            $"Ticket {ticket.Number} is {Describe(ticket.Status)} and cannot be acknowledged.")),
    };

    public static Transition Resolve(Ticket ticket, Actor engineer, string resolution, DateTimeOffset now) => ticket.Status switch
    {
        TicketStatus.Open or TicketStatus.Acknowledged => Changed(
            ticket.PauseEnded(now) with
            {
                Status = TicketStatus.Resolved,
                ResolvedAt = now,
                ResolvedBy = engineer.Name,
                ResolvedById = engineer.Id,
                Resolution = resolution,
                // Resolving an unacknowledged fault is also its response.
                AcknowledgedAt = ticket.AcknowledgedAt ?? now,
                AcknowledgedBy = ticket.AcknowledgedAt is null ? engineer.Name : ticket.AcknowledgedBy,
                AcknowledgedById = ticket.AcknowledgedAt is null ? engineer.Id : ticket.AcknowledgedById,
            },
            now, "resolved", engineer, resolution),
        _ => Transition.Refused(L10n.Of(
            $"工单 {ticket.Number} {Describe(ticket.Status)}，不能再次解决。",
            $"Ticket {ticket.Number} is {Describe(ticket.Status)} and cannot be resolved again.")),
    };

    /// <summary>
    /// A fault's severity changes, with a reason; the repair clock is recomputed from the report. Lowering it
    /// gives the contractor more time, so only a caller who <paramref name="mayLower"/> (a manager) may.
    /// </summary>
    public static Transition ChangeSeverity(Ticket ticket, Severity severity, string reason, Actor actor, bool mayLower, DateTimeOffset now) =>
        ticket.Kind != TicketKind.Fault ? Transition.Refused(L10n.Of(
            $"工单 {ticket.Number} 是服务请求：它有等级（grade），没有严重程度（severity）。",
            $"Ticket {ticket.Number} is a service request; it has a grade, not a severity."))
        : ticket.Status == TicketStatus.Resolved ? Transition.Refused(L10n.Of(
            $"工单 {ticket.Number} 已解决；请先重开，再改严重程度。",
            $"Ticket {ticket.Number} is resolved; reopen it before changing its severity."))
        : ticket.Severity == severity ? Transition.Refused(L10n.Of(
            $"工单 {ticket.Number} 已经是{DescribeInChinese(severity)}。",
            $"Ticket {ticket.Number} is already {Describe(severity)}."))
        : severity < ticket.Severity && !mayLower ? Transition.NotAllowed(L10n.Of(
            "工程师可以调高严重程度；调低会给乙方更多时间，须由经理操作。",
            "Engineers may raise a fault's severity; lowering it gives the contractor more time and needs a manager."))
        : Changed(ticket with { Severity = severity }, now, "severity changed", actor, $"{DescribeInChinese(ticket.Severity)} → {DescribeInChinese(severity)}：{reason}");

    /// <summary>
    /// A resolved ticket is reopened within <paramref name="window"/> of its resolution: it goes back to
    /// acknowledged (it was answered already), and the time it spent resolved is set aside so that it does
    /// not count against the repair clock.
    /// </summary>
    public static Transition Reopen(Ticket ticket, string reason, Actor actor, DateTimeOffset now, TimeSpan window)
    {
        if (ticket.Kind != TicketKind.Fault)
        {
            return Transition.Refused(L10n.Of(
                $"工单 {ticket.Number} 是服务请求：只有故障可以重开，新的需求请提新的服务请求。",
                $"Ticket {ticket.Number} is a service request; only faults are reopened, and a new need is a new request."));
        }

        if (ticket is not { Status: TicketStatus.Resolved, ResolvedAt: { } resolvedAt })
        {
            return Transition.Refused(L10n.Of(
                $"工单 {ticket.Number} {Describe(ticket.Status)}：只有已解决的工单可以重开。",
                $"Ticket {ticket.Number} is {Describe(ticket.Status)}; only a resolved ticket can be reopened."));
        }

        if (now - resolvedAt > window)
        {
            return Transition.Refused(L10n.Of(
                $"工单 {ticket.Number} 解决已超过 {Durations.InChineseWords(window)}；请另报一个新故障。",
                $"Ticket {ticket.Number} was resolved more than {Durations.InWords(window)} ago; report a new fault instead."));
        }

        var resolvedFor = (long)Math.Max(0, (now - resolvedAt).TotalMilliseconds);
        return Changed(
            ticket with
            {
                Status = TicketStatus.Acknowledged,
                ResolvedAt = null,
                ResolvedBy = null,
                ResolvedById = null,
                Resolution = null,
                Reopens = ticket.Reopens + 1,
                TimeResolvedMs = ticket.TimeResolvedMs + resolvedFor,
            },
            now, "reopened", actor, reason);
    }

    /// <summary>
    /// Asks for the ticket's repair or completion clock to stand still, for one of the contract's reasons.
    /// A manager's request is approved at once; an engineer's waits for a manager. The clock stands still
    /// from the approval on.
    /// </summary>
    public static Transition RequestPause(Ticket ticket, string reason, Actor actor, bool isManager, PausePolicy policy, DateTimeOffset now)
    {
        if (!policy.Allows(ticket.Kind))
        {
            return Transition.Refused(L10n.Of(
                $"合同 {ticket.Contract} 不允许暂停{(ticket.Kind == TicketKind.Fault ? "故障" : "服务请求")}的计时。",
                $"Contract {ticket.Contract} does not let the clocks of a {Describe(ticket.Kind)} stand still."));
        }

        var refusal = ticket.Status == TicketStatus.Resolved ? L10n.Of($"工单 {ticket.Number} 已解决。", $"Ticket {ticket.Number} is resolved.")
            : ticket.PausedAt is not null ? L10n.Of($"工单 {ticket.Number} 已在暂停中。", $"Ticket {ticket.Number} is paused already.")
            : WaitsForApproval(ticket) ? L10n.Of($"工单 {ticket.Number} 已有一个暂停申请在等经理批准。", $"A pause of ticket {ticket.Number} waits for a manager already.")
            : null;
        if (refusal is not null)
        {
            return Transition.Refused(refusal);
        }

        // Who asked and when stay on the ticket for as long as the pause lasts; a manager's own pause is asked and approved at once.
        var asked = ticket with { PauseRequestedAt = now, PauseRequestedBy = actor.Name, PauseRequestedById = actor.Id, PauseReason = reason };
        return isManager
            ? Changed(asked with { PausedAt = now }, now, "paused", actor, reason)
            : Changed(asked, now, "pause requested", actor, reason);
    }

    /// <summary>A manager approves the pause an engineer asked for: the clock stands still from now on.</summary>
    /// <remarks>A timeline detail is sealed into the evidence chain, so it is written once, in Chinese, whoever asks.</remarks>
    public static Transition ApprovePause(Ticket ticket, Actor manager, DateTimeOffset now) =>
        !WaitsForApproval(ticket)
            ? Transition.Refused(NoPauseWaits(ticket))
            : Changed(ticket with { PausedAt = now }, now, "pause approved", manager,
                $"{ticket.PauseReason}（{ticket.PauseRequestedBy} 申请）");

    /// <summary>A manager declines the pause an engineer asked for, saying why.</summary>
    public static Transition DeclinePause(Ticket ticket, Actor manager, string why, DateTimeOffset now) =>
        !WaitsForApproval(ticket)
            ? Transition.Refused(NoPauseWaits(ticket))
            : Changed(ticket.PauseEnded(now), now, "pause declined", manager, why);

    private static string NoPauseWaits(Ticket ticket) =>
        L10n.Of($"工单 {ticket.Number} 没有等待批准的暂停申请。", $"No pause of ticket {ticket.Number} waits for approval.");

    /// <summary>The paused ticket's clock runs on; the pause's time does not count.</summary>
    public static Transition Resume(Ticket ticket, Actor actor, DateTimeOffset now) =>
        ticket.PausedAt is null
            ? Transition.Refused(L10n.Of($"工单 {ticket.Number} 没有暂停。", $"Ticket {ticket.Number} is not paused."))
            : Changed(ticket.PauseEnded(now), now, "resumed", actor, null);

    /// <summary>A pause was asked for and no manager has approved it yet.</summary>
    private static bool WaitsForApproval(Ticket ticket) => ticket is { PauseRequestedAt: not null, PausedAt: null };

    private static Transition Changed(Ticket changed, DateTimeOffset now, string action, Actor actor, string? detail)
    {
        var next = changed with { Version = changed.Version + 1, UpdatedAt = now };
        return new Transition(next, new TimelineEntry { TicketId = next.Id, Version = next.Version, At = now, Action = action, Actor = actor.Name, ActorId = actor.Id, Detail = detail }, null);
    }

    private static string Describe(TicketStatus status) => L10n.IsChinese
        ? status switch { TicketStatus.Open => "待响应", TicketStatus.Acknowledged => "已响应", TicketStatus.Resolved => "已解决", _ => status.ToString().ToLowerInvariant() }
        : status.ToString().ToLowerInvariant();

    private static string DescribeInChinese(Severity? severity) => severity switch { Severity.Severe => "严重故障", Severity.General => "一般故障", _ => "无级别" };

    private static string Describe(Severity? severity) => severity?.ToString().ToLowerInvariant() ?? "without severity";

    private static string Describe(TicketKind kind) => kind == TicketKind.Fault ? "fault" : "service request";
}
