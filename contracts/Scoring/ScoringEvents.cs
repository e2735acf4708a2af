namespace Ops.Contracts.Scoring;

/// <summary>
/// An entry was added to a contract's deduction ledger: a deduction (positive points) or a
/// compensating entry that takes one back (negative points, <paramref name="Compensates"/> set).
/// </summary>
public sealed record DeductionRecorded(
    Guid DeductionId,
    string Contract,
    int Item,
    decimal Points,
    string Source,
    string Reason,
    Guid? TicketId,
    Guid? ClockId,
    Guid? Compensates,
    DateTimeOffset RecordedAt);

/// <summary>A contract's total deduction crossed a threshold that costs money (20 points) or forces rectification (40 points).</summary>
public sealed record AssessmentThresholdCrossed(string Contract, decimal Threshold, decimal TotalDeduction, DateTimeOffset At);
