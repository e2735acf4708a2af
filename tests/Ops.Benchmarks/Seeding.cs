using Dapper;
using Ops.Hosting.Storage;

namespace Ops.Benchmarks;

/// <summary>
/// Large workloads written straight into a service's SQLite file (the API would take hours to build a
/// contract year of a million tickets). The rows are what the services themselves would have stored.
/// </summary>
internal static class Seeding
{
    private static readonly string[] Systems = ["智慧政务云平台", "综合一窗受理平台", "政务数据协同审批管理平台", "事项清单管理平台", "政务服务网", "好差评"];

    public sealed record SeededClock(Guid Id, DateTimeOffset Deadline);

    /// <summary>Running response clocks with the given deadlines, into the sla-timer's store, 5,000 per transaction.</summary>
    public static async Task<IReadOnlyList<SeededClock>> RunningClocksAsync(Database slaTimer, IReadOnlyList<DateTimeOffset> deadlines)
    {
        var clocks = deadlines.Select(d => new SeededClock(Guid.NewGuid(), d)).ToList();
        foreach (var chunk in clocks.Chunk(5000))
        {
            await slaTimer.WriteAsync(t => t.ExecuteAsync("""
                INSERT INTO clocks (id, ticket_id, kind, sequence, ticket_number, contract, ticket_kind, severity, site_code, system,
                    reported_at, target_seconds, started_at, deadline, state, breached_at, stopped_at, excluded_ms, reopens, grade, calendar,
                    warned_percent, next_warning_at)
                VALUES (@Id, @TicketId, 'response', 1, @Number, 'OTQ-2026-OPS', 'fault', 'general', 'OTQ', '综合一窗受理平台',
                    @ReportedAt, 1800, @ReportedAt, @Deadline, 'running', NULL, NULL, 0, 0, NULL, 'continuous', 80, NULL)
                """, chunk.Select((c, i) => new
                {
                    c.Id,
                    TicketId = Guid.NewGuid(),
                    Number = $"B{i:000000}",
                    ReportedAt = c.Deadline.AddMinutes(-30),
                    c.Deadline,
                })));
        }

        return clocks;
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
        long clocks = 0, deductions = 0, chain = await scoring.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(chain_seq), 0) FROM deductions"));
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
                foreach (var (clock, target) in new[] { ("response", TimeSpan.FromMinutes(30)), ("repair", severe ? TimeSpan.FromHours(4) : TimeSpan.FromHours(24)) })
                {
                    var roll = random.Next(100);
                    var state = roll < 92 ? "met" : "breached";
                    var elapsed = state == "met" ? target * random.NextDouble() : target * (1 + random.NextDouble());
                    var stopped = roll < 97 ? reported + elapsed : (DateTimeOffset?)null;
                    var deadline = reported + target;
                    var id = Guid.NewGuid();
                    facts.Add(new
                    {
                        ClockId = id, TicketId = ticket, Number = number, Clock = clock, Severity = severe ? "severe" : "general", Site = site, System = system,
                        Reported = reported, Target = (long)target.TotalSeconds, Deadline = deadline, State = state,
                        Breached = state == "breached" ? deadline.AddSeconds(1) : (DateTimeOffset?)null, Stopped = stopped,
                        Elapsed = stopped is null ? (long?)null : (long)elapsed.TotalMilliseconds,
                    });
                    if (state == "breached")
                    {
                        chain++;
                        ledger.Add(new
                        {
                            Id = Guid.NewGuid(), Points = clock == "repair" && severe ? 200 : 100, ClockId = id, TicketId = ticket, Number = number, Clock = clock,
                            Deadline = deadline, Breached = deadline.AddSeconds(1), Chain = chain, Hash = new string('0', 64),
                        });
                    }
                }
            }

            await scoring.WriteAsync(async t =>
            {
                clocks += await t.ExecuteAsync("""
                    INSERT INTO clock_facts (clock_id, sequence, ticket_id, ticket_number, contract, clock, ticket_kind, severity, site_code, system,
                        reported_at, target_seconds, started_at, deadline, state, breached_at, stopped_at, elapsed_ms, reopens)
                    VALUES (@ClockId, 3, @TicketId, @Number, 'OTQ-2026-OPS', @Clock, 'fault', @Severity, @Site, @System,
                        @Reported, @Target, @Reported, @Deadline, @State, @Breached, @Stopped, @Elapsed, 0)
                    """, facts);
                deductions += await t.ExecuteAsync("""
                    INSERT INTO deductions (id, contract, item, points_hundredths, source, reason, clock_id, ticket_id, ticket_number, clock, deadline,
                        breached_at, compensates, occurred_at, recorded_at, recorded_by, chain_seq, prev_hash, hash)
                    VALUES (@Id, 'OTQ-2026-OPS', 6, @Points, 'breach', 'benchmark', @ClockId, @TicketId, @Number, @Clock, @Deadline,
                        @Breached, NULL, @Deadline, @Breached, 'benchmark', @Chain, @Hash, @Hash)
                    """, ledger);
            });
        }

        return (clocks, deductions);
    }
}
