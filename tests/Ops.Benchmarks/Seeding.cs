using Dapper;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Storage;
using Ops.Scoring.Ledger;
using Ops.SlaTimer.Clocks;
using Ops.SlaTimer.Storage;

namespace Ops.Benchmarks;

/// <summary>
/// Large workloads written straight into a service's store (the API would take hours to build a contract
/// year of a million tickets). The rows are what the services themselves would have stored, written with
/// the stores' own statements and parameters (on PostgreSQL as a COPY of them, <see cref="SeedRows"/>).
/// </summary>
internal static class Seeding
{
    private static readonly string[] Systems = ["智慧政务云平台", "综合一窗受理平台", "政务数据协同审批管理平台", "事项清单管理平台", "政务服务网", "好差评"];

    public sealed record SeededClock(Guid Id, DateTimeOffset Deadline);

    /// <summary>Running response clocks with the given deadlines, into the sla-timer's store, 5,000 per transaction.</summary>
    public static async Task<IReadOnlyList<SeededClock>> RunningClocksAsync(Database slaTimer, IReadOnlyList<DateTimeOffset> deadlines)
    {
        var insert = ClockSql.For(slaTimer.Provider).Insert;
        var clocks = deadlines.Select(d => new SeededClock(Guid.NewGuid(), d)).ToList();
        foreach (var chunk in clocks.Chunk(5000))
        {
            await slaTimer.WriteAsync(t => SeedRows.InsertAsync(t, insert, [.. chunk.Select((c, i) => ClockStore.Parameters(new SlaClock
            {
                Id = c.Id,
                TicketId = Guid.NewGuid(),
                Clock = ClockKind.Response,
                Sequence = 1,
                TicketNumber = $"B{i:000000}",
                Contract = "OTQ-2026-OPS",
                TicketKind = TicketKind.Fault,
                Severity = Severity.General,
                SiteCode = "OTQ",
                System = "综合一窗受理平台",
                ReportedAt = c.Deadline.AddMinutes(-30),
                TargetSeconds = 1800,
                StartedAt = c.Deadline.AddMinutes(-30),
                Deadline = c.Deadline,
                State = ClockState.Running,
                WarnedPercent = 80,
            }, previousSequence: 0))]));
        }

        return clocks;
    }

    /// <summary>
    /// Tickets of a contract year into the tickets store, 5,000 per transaction: most resolved with a resolution,
    /// some acknowledged, a few open. Their phones are stored as rows written before encryption were; the
    /// service encrypts them when it next starts.
    /// </summary>
    public static async Task TicketsAsync(Database tickets, int count)
    {
        var start = new DateTimeOffset(2026, 2, 28, 0, 0, 0, TimeSpan.FromHours(8));
        var spacing = TimeSpan.FromTicks(TimeSpan.FromDays(364).Ticks / count);
        var random = new Random(20261202);
        for (var from = 0; from < count; from += 5000)
        {
            var rows = Enumerable.Range(from, Math.Min(5000, count - from)).Select(i =>
            {
                var reported = start + spacing * i;
                var roll = random.Next(100);
                var acknowledged = roll < 95 ? reported.AddMinutes(random.Next(1, 40)) : (DateTimeOffset?)null;
                var resolved = roll < 85 ? reported.AddHours(random.Next(1, 30)) : (DateTimeOffset?)null;
                return new
                {
                    Id = Guid.NewGuid(),
                    Number = $"F{reported:yyyyMMdd}-{i:000000}",
                    Contract = "OTQ-2026-OPS",
                    Severity = random.Next(10) == 0 ? "severe" : "general",
                    Status = resolved is not null ? "resolved" : acknowledged is not null ? "acknowledged" : "open",
                    SiteCode = random.Next(4) == 0 ? "SHM" : "OTQ",
                    System = Systems[random.Next(Systems.Length)],
                    Title = $"窗口{random.Next(1, 30)}号机无法出件，报错\"打印失败\"",
                    ReporterPhone = $"138{random.Next(10_000_000, 99_999_999)}",
                    ReportedAt = reported,
                    AcknowledgedAt = acknowledged,
                    AcknowledgedBy = acknowledged is null ? null : "王工",
                    ResolvedAt = resolved,
                    ResolvedBy = resolved is null ? null : "王工",
                    Resolution = resolved is null ? null : "更换打印模块后恢复正常出件，\n已回访报修人确认。",
                };
            });
            await tickets.WriteAsync(t => SeedRows.InsertAsync(t, BenchSql.InsertTicket, [.. rows]));
        }
    }

    /// <summary>
    /// A contract year of faults into scoring's store: their response and repair clocks (most met, some
    /// breached, a few still open) and the breach deductions, sealed with placeholder hashes.
    /// </summary>
    public static async Task<(long Clocks, long Deductions)> ContractYearAsync(Database scoring, int tickets)
    {
        var start = new DateTimeOffset(2026, 2, 28, 0, 0, 0, TimeSpan.FromHours(8));
        var spacing = TimeSpan.FromTicks(TimeSpan.FromDays(364).Ticks / tickets);
        var random = new Random(20261125);
        var sql = LedgerSql.For(scoring.Provider);
        long clocks = 0, deductions = 0, chain = await scoring.ReadAsync(c => c.ExecuteScalarAsync<long>(BenchSql.LastDeductionInChain));
        for (var from = 0; from < tickets; from += 5000)
        {
            var facts = new List<object>();
            var ledger = new List<object>();
            for (var i = from; i < Math.Min(tickets, from + 5000); i++)
            {
                var reported = start + spacing * i;
                var ticket = Guid.NewGuid();
                var number = $"F{reported:yyyyMMdd}-{i % 10000:0000}";
                var severe = random.Next(10) == 0;
                var site = random.Next(4) == 0 ? "SHM" : "OTQ";
                var system = Systems[random.Next(Systems.Length)];
                foreach (var (clock, target) in new[] { (ClockKind.Response, TimeSpan.FromMinutes(30)), (ClockKind.Repair, severe ? TimeSpan.FromHours(4) : TimeSpan.FromHours(24)) })
                {
                    var roll = random.Next(100);
                    var state = roll < 92 ? ClockState.Met : ClockState.Breached;
                    var elapsed = state == ClockState.Met ? target * random.NextDouble() : target * (1 + random.NextDouble());
                    var stopped = roll < 97 ? reported + elapsed : (DateTimeOffset?)null;
                    var deadline = reported + target;
                    var id = Guid.NewGuid();
                    var breachedAt = state == ClockState.Breached ? deadline.AddSeconds(1) : (DateTimeOffset?)null;
                    facts.Add(DeductionLedger.FactParameters(new ClockFacts
                    {
                        ClockId = id, Clock = clock, Sequence = 3, TicketId = ticket, TicketNumber = number, Contract = "OTQ-2026-OPS",
                        Kind = TicketKind.Fault, Severity = severe ? Severity.Severe : Severity.General, SiteCode = site, System = system,
                        ReportedAt = reported, Target = target, StartedAt = reported, Deadline = deadline, State = state,
                        BreachedAt = breachedAt, StoppedAt = stopped,
                    }));
                    if (breachedAt is { } breached)
                    {
                        chain++;
                        var hash = new string('0', 64);
                        ledger.Add(DeductionLedger.EntryParameters(new Deduction
                        {
                            EntryNo = 0, Id = Guid.NewGuid(), Contract = "OTQ-2026-OPS", Item = 6, PointsHundredths = clock == ClockKind.Repair && severe ? 200 : 100,
                            Source = DeductionSource.Breach, Reason = "benchmark", ClockId = id, TicketId = ticket, TicketNumber = number, Clock = clock,
                            Deadline = deadline, BreachedAt = breached, OccurredAt = deadline, RecordedAt = breached, RecordedBy = "benchmark",
                            ChainSeq = chain, PrevHash = hash, Hash = hash,
                        }));
                    }
                }
            }

            await scoring.WriteAsync(async t =>
            {
                clocks += await SeedRows.InsertAsync(t, sql.InsertClockFacts, facts);
                deductions += await SeedRows.InsertAsync(t, sql.Insert, ledger);
            });
        }

        return (clocks, deductions);
    }
}
