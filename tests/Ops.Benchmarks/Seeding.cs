using Dapper;
using Ops.Hosting.Storage;

namespace Ops.Benchmarks;

/// <summary>
/// Large workloads written straight into a service's store (the API would take hours to build a contract
/// year of a million tickets). The rows are what the services themselves would have stored.
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
            await slaTimer.WriteAsync(t => t.ExecuteAsync(BenchSql.InsertRunningClock, chunk.Select((c, i) => new
            {
                c.Id,
                TicketId = Guid.NewGuid(),
                Number = $"B{i:000000}",
                System = "综合一窗受理平台",
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
                        ClockId = id, TicketId = ticket, Number = number, Clock = clock, Severity = severe ? "severe" : "general", SiteCode = site, System = system,
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
                clocks += await t.ExecuteAsync(BenchSql.InsertClockFact, facts);
                deductions += await t.ExecuteAsync(BenchSql.InsertBreachDeduction, ledger);
            });
        }

        return (clocks, deductions);
    }
}
