using System.Text.Json;
using Ops.Hosting.Audit;
using Ops.Hosting.Http;
using Ops.Hosting.Messaging;
using Ops.Contracts.Tickets;

namespace Ops.Tickets.Lifecycle;

/// <summary>A fault or service request as the tickets service keeps it.</summary>
public sealed record Ticket
{
    public required Guid Id { get; init; }
    public required string Number { get; init; }
    public required long Version { get; init; }
    public required string Contract { get; init; }
    public required TicketKind Kind { get; init; }
    /// <summary>A fault's severity; none for a service request.</summary>
    public Severity? Severity { get; init; }

    /// <summary>The severity as stored: '' for none, since the column needs a value (read as text: SQLite gives an expression no type).</summary>
    public string StoredSeverity { init => Severity = value.Length == 0 ? null : Enum.Parse<Severity>(value, ignoreCase: true); }

    /// <summary>A service request's grade; none for a fault.</summary>
    public string? Grade { get; init; }

    public required TicketStatus Status { get; init; }
    public required string Channel { get; init; }
    public required string SiteCode { get; init; }
    public required string System { get; init; }
    public required string Title { get; init; }
    public string? Description { get; init; }
    public required string ReporterName { get; init; }

    /// <summary>In <see cref="Intake.Phone"/>'s normal form (0477-1234567, 13812345678); personal data, shown whole only in a single ticket's detail.</summary>
    public required string ReporterPhone { get; init; }

    public required DateTimeOffset ReportedAt { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public string? AcknowledgedBy { get; init; }

    /// <summary>Who acknowledged, as one identity (<see cref="Ops.Hosting.Security.Actor.Id"/>); null on tickets acknowledged before it was recorded.</summary>
    public string? AcknowledgedById { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }
    public string? ResolvedBy { get; init; }
    public string? ResolvedById { get; init; }
    public string? Resolution { get; init; }
    public string? ExternalRef { get; init; }

    /// <summary>How often the ticket was reopened after a resolution.</summary>
    public int Reopens { get; init; }

    /// <summary>Milliseconds the ticket spent resolved before its reopens; excluded from the repair clock.</summary>
    public long TimeResolvedMs { get; init; }

    /// <summary>When and by whom the current pause was asked for; it waits for a manager while <see cref="PausedAt"/> is none.</summary>
    public DateTimeOffset? PauseRequestedAt { get; init; }
    public string? PauseRequestedBy { get; init; }
    public string? PauseRequestedById { get; init; }

    /// <summary>Why the ticket is (or is asked to be) paused.</summary>
    public string? PauseReason { get; init; }

    /// <summary>Since when the ticket is paused with a manager's approval.</summary>
    public DateTimeOffset? PausedAt { get; init; }

    /// <summary>The pauses that ended, as JSON (<see cref="PausePeriod"/>s).</summary>
    public string PausesJson { get; init; } = "[]";

    public IReadOnlyList<PausePeriod> Pauses => JsonSerializer.Deserialize<List<PausePeriod>>(PausesJson, MessageJson.Options) ?? [];

    /// <summary>The ticket with its pause ended at <paramref name="now"/> (if it is paused) and no pause asked for.</summary>
    public Ticket PauseEnded(DateTimeOffset now) =>
        (PausedAt is { } from
            ? this with { PausedAt = null, PausesJson = JsonSerializer.Serialize<List<PausePeriod>>([.. Pauses, new PausePeriod(from, now)], MessageJson.Options) }
            : this)
        with { PauseRequestedAt = null, PauseRequestedBy = null, PauseRequestedById = null, PauseReason = null };

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>What every ticket event carries.</summary>
    public TicketFacts ToFacts() => new()
    {
        TicketId = Id,
        Number = Number,
        Version = Version,
        Contract = Contract,
        Kind = Kind,
        Severity = Severity,
        Grade = Grade,
        SiteCode = SiteCode,
        System = System,
        Status = Status,
        ReportedAt = ReportedAt,
        AcknowledgedAt = AcknowledgedAt,
        ResolvedAt = ResolvedAt,
        Reopens = Reopens,
        TimeResolved = TimeSpan.FromMilliseconds(TimeResolvedMs),
        PausedAt = PausedAt,
        Pauses = Pauses,
    };
}

/// <summary>
/// One line of a ticket's history: what happened, when (server time), and who did it (the authenticated
/// caller). Sealed into the ticket-timeline evidence chain when stored, and never changed.
/// </summary>
public sealed record TimelineEntry : IChainedEntry
{
    public required Guid TicketId { get; init; }
    public required long Version { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string Action { get; init; }
    public required string Actor { get; init; }

    /// <summary>The actor as one identity (<see cref="Ops.Hosting.Security.Actor.Id"/>); null on entries written before it was recorded.</summary>
    public string? ActorId { get; init; }

    public string? Detail { get; init; }
    public long? ChainSeq { get; init; }
    public string? PrevHash { get; init; }
    public string? Hash { get; init; }

    public string Describe() => L10n.Of($"工单 {TicketId} 第 {Version} 版（{ActionInChinese}）", $"ticket {TicketId} version {Version} ({Action})");

    private string ActionInChinese => Action switch
    {
        "reported" => "报修",
        "acknowledged" => "响应",
        "resolved" => "解决",
        "reopened" => "重新打开",
        "severity changed" => "调整严重程度",
        "paused" => "暂停",
        "pause requested" => "申请暂停",
        "pause approved" => "批准暂停",
        "pause declined" => "驳回暂停",
        "resumed" => "恢复",
        _ => Action,
    };

    // Entries written before the actor's identity was recorded keep the content (and so the hash) they were sealed with.
    public string Content() => ActorId is null
        ? EvidenceChain.Content(TicketId, Version, At, Action, Actor, Detail)
        : EvidenceChain.Content(TicketId, Version, At, Action, Actor, Detail, ActorId);
}
