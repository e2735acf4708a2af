namespace Ops.Contracts.Sla;

/// <summary>A clock started for a ticket.</summary>
public sealed record SlaClockStarted(ClockFacts Clock);

/// <summary>
/// A clock's deadline or state moved without it stopping: the ticket's severity changed (a running
/// clock is recomputed from the report; a breach already recorded stays), the ticket was reopened
/// (the repair clock resumes, its deadline moved by the time the ticket spent resolved), or it was
/// paused and resumed (the clock stands still, then its deadline moves by the pause).
/// </summary>
/// <param name="Reason">What moved it: <c>severity</c>, <c>reopened</c>, <c>paused</c> or <c>resumed</c>.</param>
public sealed record SlaClockAdjusted(ClockFacts Clock, string Reason);

/// <summary>
/// A running clock has used <paramref name="Percent"/> of its target (the contract's warning points,
/// 50 % and 80 % by default): the people on the escalation chain still have time to act.
/// </summary>
public sealed record SlaWarningRaised(ClockFacts Clock, int Percent);

/// <summary>A running clock passed its deadline.</summary>
public sealed record SlaBreached(ClockFacts Clock);

/// <summary>
/// A clock stopped. <see cref="ClockFacts.State"/> is the outcome: met when stopped at or before the
/// deadline, breached otherwise, with <paramref name="Overrun"/> the time past the deadline.
/// A clock breached earlier only because the stopping event arrived late is stopped as met.
/// </summary>
public sealed record SlaClockStopped(ClockFacts Clock, TimeSpan Overrun);
