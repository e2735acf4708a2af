using Ops.Contracts.Sla;
using Ops.Scoring.Ledger;

namespace Ops.Scoring.Assessment;

/// <summary>A contract's running assessment for its service year, <c>serviceStart</c> to <c>serviceEnd</c> (both days included).</summary>
/// <param name="Tier">良好 (score ≥ 80), 合格 (60–79) or 不合格 (below 60).</param>
/// <param name="FeeReduction">Yuan taken off the contract amount: 1 % of it per point above 20.</param>
/// <param name="RectificationRequired">True above 40 points: the contractor must rectify within a deadline.</param>
public sealed record AssessmentView(
    string Contract,
    string Title,
    string Bureau,
    string Contractor,
    decimal Amount,
    DateOnly ServiceStart,
    DateOnly ServiceEnd,
    decimal TotalDeduction,
    decimal Score,
    string Tier,
    Tier TierCode,
    decimal FeeReduction,
    bool RectificationRequired,
    IReadOnlyList<ItemView> Items);

/// <summary>One assessment item: what counts (capped at the maximum), what the ledger holds, and the newest entries behind it.</summary>
/// <param name="Deducted">The points that count: the ledger's sum, never more than <paramref name="MaxPoints"/>.</param>
/// <param name="Recorded">The ledger's sum for the item in the period, before the cap.</param>
/// <param name="Entries">How many ledger entries the item has in the period; <paramref name="Evidence"/> shows the newest of them.</param>
public sealed record ItemView(int Item, string Name, decimal MaxPoints, decimal Deducted, decimal Recorded, long Entries, IReadOnlyList<EvidenceView> Evidence);

/// <summary>A ledger entry: a deduction (positive points) or a compensating entry (negative), and what it rests on.</summary>
public sealed record EvidenceView(
    Guid Id,
    int Item,
    decimal Points,
    DeductionSource Source,
    string Reason,
    Guid? TicketId,
    string? TicketNumber,
    ClockKind? Clock,
    DateTimeOffset? Deadline,
    DateTimeOffset? BreachedAt,
    Guid? Compensates,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    string RecordedBy,
    string? RecordedById)
{
    public static EvidenceView Of(Deduction d) => new(
        d.Id, d.Item, d.Points, d.Source, d.Reason, d.TicketId, d.TicketNumber, d.Clock, d.Deadline, d.BreachedAt,
        d.Compensates, d.OccurredAt, d.RecordedAt, d.RecordedBy, d.RecordedById);
}

/// <summary>A deduction for an item no clock measures (e.g. a late monthly report, item 8).</summary>
public sealed record ManualDeductionRequest
{
    /// <summary>The contract; may be left out while only one is configured.</summary>
    /// <example>OTQ-2026-OPS</example>
    public string? Contract { get; init; }

    /// <summary>The assessment item, 1–15.</summary>
    /// <example>8</example>
    public int? Item { get; init; }

    /// <summary>Points to deduct: more than 0, at most the item's maximum, at most two decimals.</summary>
    /// <example>1</example>
    public decimal? Points { get; init; }

    /// <summary>Why, at most 1,000 characters.</summary>
    /// <example>10月月报逾期5天提交</example>
    public string? Reason { get; init; }

    /// <summary>When the lapse happened (ISO 8601 with offset), inside the service period; now when left out.</summary>
    public DateTimeOffset? OccurredAt { get; init; }
}

/// <summary>A manager waives a deduction; the ledger records a compensating entry and keeps both.</summary>
public sealed record WaiverRequest
{
    /// <summary>The ledger entry to waive (its <c>id</c> in the assessment's evidence).</summary>
    public Guid? Deduction { get; init; }

    /// <summary>Why, at most 1,000 characters.</summary>
    /// <example>盟级统一平台故障，非乙方责任范围</example>
    public string? Reason { get; init; }
}
