using Ops.Contracts.Sla;
using Ops.Hosting.Audit;
using Ops.Hosting.Http;

namespace Ops.Scoring.Ledger;

/// <summary>Why a ledger entry exists.</summary>
public enum DeductionSource
{
    /// <summary>A clock breached its deadline; the contract's rules set the points.</summary>
    Breach,

    /// <summary>Takes back a breach deduction: the clock was stopped in time, and the stop only arrived after the deadline.</summary>
    Retraction,

    /// <summary>Recorded by a manager for an item no clock measures.</summary>
    Manual,

    /// <summary>Takes back a deduction a manager waived, with the reason (e.g. a region-level system outside the contractor's reach).</summary>
    Waiver,
}

/// <summary>
/// One entry of the append-only deduction ledger. Entries are never changed or deleted: a deduction
/// that no longer holds is taken back by a compensating entry with negative points. Each entry is
/// sealed into the deduction-ledger evidence chain when stored.
/// </summary>
public sealed record Deduction : IChainedEntry
{
    public required long EntryNo { get; init; }
    public required Guid Id { get; init; }
    public required string Contract { get; init; }
    public required int Item { get; init; }
    public required long PointsHundredths { get; init; }
    public required DeductionSource Source { get; init; }
    public required string Reason { get; init; }
    public Guid? ClockId { get; init; }
    public Guid? TicketId { get; init; }
    public string? TicketNumber { get; init; }
    public ClockKind? Clock { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    public DateTimeOffset? BreachedAt { get; init; }
    public Guid? Compensates { get; init; }

    /// <summary>What places the entry in an assessment period: a breach's deadline, or the date a manager gave.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }
    public required string RecordedBy { get; init; }

    /// <summary>Who recorded it, as one identity (a token's subject, <c>key:</c> and an API key's id, or <c>service:sla-timer</c>); null on entries recorded before it was kept.</summary>
    public string? RecordedById { get; init; }

    public long? ChainSeq { get; init; }
    public string? PrevHash { get; init; }
    public string? Hash { get; init; }

    public decimal Points => PointsHundredths / 100m;

    public string Describe() => L10n.Of(
        $"台账条目 {EntryNo}（{SourceName(Source)}，第 {Item} 项{(TicketNumber is null ? "" : $"，工单 {TicketNumber}")}）",
        $"ledger entry {EntryNo} ({Source.ToString().ToLowerInvariant()}, item {Item}{(TicketNumber is null ? "" : $", ticket {TicketNumber}")})");

    /// <summary>What a source is called in Chinese.</summary>
    public static string SourceName(DeductionSource source) => source switch
    {
        DeductionSource.Breach => "超时扣分",
        DeductionSource.Retraction => "撤回",
        DeductionSource.Manual => "人工扣分",
        DeductionSource.Waiver => "豁免",
        _ => source.ToString().ToLowerInvariant(),
    };

    // Entries recorded before RecordedById was kept keep the content (and so the hash) they were sealed with.
    public string Content() => RecordedById is null
        ? EvidenceChain.Content(
            Id, Contract, Item, PointsHundredths, Source, Reason, ClockId, TicketId, TicketNumber, Clock, Deadline, BreachedAt, Compensates,
            OccurredAt, RecordedAt, RecordedBy)
        : EvidenceChain.Content(
            Id, Contract, Item, PointsHundredths, Source, Reason, ClockId, TicketId, TicketNumber, Clock, Deadline, BreachedAt, Compensates,
            OccurredAt, RecordedAt, RecordedBy, RecordedById);
}
