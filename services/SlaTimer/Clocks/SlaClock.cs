using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;

namespace Ops.SlaTimer.Clocks;

/// <summary>One SLA clock of one ticket, as stored: its deadline is data, not a timer in memory.</summary>
public sealed record SlaClock
{
    public required Guid Id { get; init; }
    public required Guid TicketId { get; init; }
    /// <summary>Which clock: response, repair or completion.</summary>
    public required ClockKind Clock { get; init; }
    public required long Sequence { get; init; }
    public required string TicketNumber { get; init; }
    public required string Contract { get; init; }
    public required TicketKind TicketKind { get; init; }
    /// <summary>A fault's severity; none for a service request's clock.</summary>
    public Severity? Severity { get; init; }

    /// <summary>The severity as stored: '' for none, since the column needs a value (read as text: SQLite gives an expression no type).</summary>
    public string StoredSeverity { init => Severity = value.Length == 0 ? null : Enum.Parse<Severity>(value, ignoreCase: true); }
    public string? Grade { get; init; }
    public required string SiteCode { get; init; }
    public required string System { get; init; }
    public required DateTimeOffset ReportedAt { get; init; }
    public required long TargetSeconds { get; init; }

    /// <summary>Whether the target is counted in continuous time or in working time.</summary>
    public ClockCalendar Calendar { get; init; }

    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset Deadline { get; init; }
    public required ClockState State { get; init; }
    public DateTimeOffset? BreachedAt { get; init; }
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>Milliseconds that do not count against the target (the time a reopened ticket spent resolved).</summary>
    public long ExcludedMs { get; init; }

    public int Reopens { get; init; }

    /// <summary>The highest warning point (percent of the target) already raised; 0 when none.</summary>
    public int WarnedPercent { get; init; }

    /// <summary>When the next warning point is reached; none for a clock that is not running or has no warning left.</summary>
    public DateTimeOffset? NextWarningAt { get; init; }

    public Promise Promise => new(Target, Calendar);

    public TimeSpan Target => TimeSpan.FromSeconds(TargetSeconds);

    public TimeSpan Excluded => TimeSpan.FromMilliseconds(ExcludedMs);

    /// <summary>How long past its deadline the clock was stopped; zero when met.</summary>
    public TimeSpan Overrun => StoppedAt is { } stopped && stopped > Deadline ? stopped - Deadline : TimeSpan.Zero;

    public ClockFacts ToFacts() => new()
    {
        ClockId = Id,
        Clock = Clock,
        Sequence = Sequence,
        TicketId = TicketId,
        TicketNumber = TicketNumber,
        Contract = Contract,
        Kind = TicketKind,
        Severity = Severity,
        SiteCode = SiteCode,
        System = System,
        ReportedAt = ReportedAt,
        Target = Target,
        StartedAt = StartedAt,
        Deadline = Deadline,
        State = State,
        BreachedAt = BreachedAt,
        StoppedAt = StoppedAt,
        Excluded = Excluded,
        Reopens = Reopens,
        Grade = Grade,
        Calendar = Calendar,
    };
}
