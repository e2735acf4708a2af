namespace Ops.Contracts.Sla;

/// <summary>A clock started for a ticket.</summary>
public sealed record SlaClockStarted(ClockFacts Clock);

/// <summary>A running clock passed its deadline.</summary>
public sealed record SlaBreached(ClockFacts Clock);

/// <summary>
/// A clock stopped. <see cref="ClockFacts.State"/> is the outcome: met when stopped at or before the
/// deadline, breached otherwise, with <paramref name="Overrun"/> the time past the deadline.
/// A clock breached earlier only because the stopping event arrived late is stopped as met.
/// </summary>
public sealed record SlaClockStopped(ClockFacts Clock, TimeSpan Overrun);
