using Ops.Contracts.Sla;
using Ops.Hosting.Audit;
using Ops.Hosting.Http;

namespace Ops.SlaTimer.Clocks;

/// <summary>
/// What became of a clock, as the evidence behind a deduction: breached (the deadline passed while it
/// ran), met (stopped in time) or late (stopped after its deadline). Sealed into the clock-outcomes
/// evidence chain when stored, and never changed.
/// </summary>
public sealed record ClockOutcome : IChainedEntry
{
    public const string Breached = "breached";
    public const string Met = "met";
    public const string Late = "late";

    public required Guid ClockId { get; init; }
    public required long Sequence { get; init; }
    public required Guid TicketId { get; init; }
    public required string TicketNumber { get; init; }
    public required string Clock { get; init; }
    public required string Outcome { get; init; }
    public required DateTimeOffset Deadline { get; init; }

    /// <summary>When the breach was recorded or the clock stopped.</summary>
    public required DateTimeOffset OccurredAt { get; init; }
    public long? ChainSeq { get; init; }
    public string? PrevHash { get; init; }
    public string? Hash { get; init; }

    /// <summary>The outcome an SLA event records; null for an event that is no outcome (a clock started).</summary>
    public static ClockOutcome? Of(object message) => message switch
    {
        SlaBreached b => From(b.Clock, Breached, b.Clock.BreachedAt ?? b.Clock.Deadline),
        SlaClockStopped s => From(s.Clock, s.Clock.State == ClockState.Met ? Met : Late, s.Clock.StoppedAt ?? s.Clock.Deadline),
        _ => null,
    };

    private static ClockOutcome From(ClockFacts c, string outcome, DateTimeOffset at) => new()
    {
        ClockId = c.ClockId,
        Sequence = c.Sequence,
        TicketId = c.TicketId,
        TicketNumber = c.TicketNumber,
        Clock = c.Clock.ToString().ToLowerInvariant(),
        Outcome = outcome,
        Deadline = c.Deadline,
        OccurredAt = at,
    };

    public string Describe() => L10n.Of(
        $"工单 {TicketNumber} 的{ClockInChinese}计时，第 {Sequence} 次变化（{OutcomeInChinese}）",
        $"{Clock} clock of ticket {TicketNumber}, change {Sequence} ({Outcome})");

    private string ClockInChinese => Clock switch { "response" => "响应", "repair" => "修复", "completion" => "办结", _ => Clock };

    private string OutcomeInChinese => Outcome switch { Met => "达标", Breached => "超时", Late => "超时后停止", _ => Outcome };

    public string Content() => EvidenceChain.Content(ClockId, Sequence, TicketId, TicketNumber, Clock, Outcome, Deadline, OccurredAt);
}
