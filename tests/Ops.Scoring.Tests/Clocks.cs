using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Contracts;
using Ops.Hosting.Messaging;
using Ops.Hosting.Storage;
using Ops.Scoring.Assessment;
using Ops.Scoring.Ledger;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>Clocks as the sla-timer publishes them, to vary per test.</summary>
internal static class Clocks
{
    public static readonly DateTimeOffset Reported = new(2026, 11, 24, 1, 0, 0, TimeSpan.Zero);

    public static ClockFacts Running(
        ClockKind clock = ClockKind.Repair,
        Severity severity = Severity.Severe,
        DateTimeOffset? reportedAt = null,
        string siteCode = "OTQ",
        string system = "综合一窗受理平台",
        TicketKind kind = TicketKind.Fault,
        Guid? ticket = null)
    {
        var reported = reportedAt ?? Reported;
        var target = clock == ClockKind.Response ? TimeSpan.FromMinutes(30) : severity == Severity.Severe ? TimeSpan.FromHours(4) : TimeSpan.FromHours(24);
        return new ClockFacts
        {
            ClockId = Guid.NewGuid(),
            Clock = clock,
            Sequence = 1,
            TicketId = ticket ?? Guid.NewGuid(),
            TicketNumber = $"F{reported:yyyyMMdd}-{Random.Shared.Next(1, 9999):0000}",
            Contract = Seed.Contract,
            Kind = kind,
            Severity = severity,
            SiteCode = siteCode,
            System = system,
            ReportedAt = reported,
            Target = target,
            StartedAt = reported,
            Deadline = reported + target,
            State = ClockState.Running,
        };
    }

    /// <summary>A running clock of a service request of <paramref name="grade"/>: 2 hours to respond, 14 to complete (as scoring sees them, already placed in working time).</summary>
    public static ClockFacts Request(ClockKind clock, string grade = "normal", DateTimeOffset? reportedAt = null)
    {
        var running = Running(clock, Severity.General, reportedAt, kind: TicketKind.Request);
        var target = TimeSpan.FromHours(clock == ClockKind.Response ? 2 : 14);
        return running with { Grade = grade, Calendar = ClockCalendar.Working, Target = target, Deadline = running.StartedAt + target };
    }

    /// <summary>The clock as the scanner breaches it, a moment after its deadline.</summary>
    public static ClockFacts Breached(this ClockFacts clock) =>
        clock with { Sequence = clock.Sequence + 1, State = ClockState.Breached, BreachedAt = clock.Deadline.AddSeconds(1) };

    /// <summary>
    /// The repair clock of a ticket reopened after it was <paramref name="resolvedFor"/> resolved: it runs on, its
    /// deadline later by that time (a met clock keeps the moment of a breach that was taken back).
    /// </summary>
    public static ClockFacts Reopened(this ClockFacts clock, TimeSpan resolvedFor) => clock with
    {
        Sequence = clock.Sequence + 1,
        State = ClockState.Running,
        StoppedAt = null,
        Excluded = clock.Excluded + resolvedFor,
        Deadline = clock.Deadline + resolvedFor,
        Reopens = clock.Reopens + 1,
    };

    /// <summary>The clock stopped a minute before its deadline, the stop reaching the timer after a breach: met.</summary>
    public static ClockFacts StoppedInTime(this ClockFacts clock) =>
        clock with { Sequence = clock.Sequence + 1, State = ClockState.Met, StoppedAt = clock.Deadline.AddMinutes(-1) };

    /// <summary>The clock stopped <paramref name="elapsed"/> after it started: met when within its target.</summary>
    public static ClockFacts StoppedAfter(this ClockFacts clock, TimeSpan elapsed) => clock with
    {
        Sequence = clock.Sequence + 1,
        StoppedAt = clock.StartedAt + elapsed,
        State = elapsed <= clock.Target ? ClockState.Met : ClockState.Breached,
        BreachedAt = clock.BreachedAt ?? (elapsed > clock.Target ? clock.Deadline.AddSeconds(1) : null),
    };
}

/// <summary>The seed contract as shipped in <c>contracts.json</c>.</summary>
internal static class Seed
{
    public const string Contract = "OTQ-2026-OPS";

    public static ContractBook Book { get; } = ContractBook.From(ContractsFile.Read(new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "contracts.json"), optional: false)
        .Build()).Checked());

    public static ContractTerms Terms => Book.Find(Contract)!;

    /// <summary>The deduction ledger of the shipped contracts on <paramref name="database"/>, sealed with the tests' key.</summary>
    public static DeductionLedger LedgerOn(Database database) =>
        new(database, new Outbox(TimeProvider.System), TestSecrets.Evidence(database), Book, NullLogger<DeductionLedger>.Instance);
}
