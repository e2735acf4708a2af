using Dapper;
using Ops.Contracts.Tickets;
using Ops.Hosting.Storage;

namespace Ops.Scoring.Compliance;

/// <summary>Which faults the dashboard counts: reported in [From, To) on a contract, optionally one site, system or severity.</summary>
public sealed record DashboardFilter(string Contract, DateTimeOffset From, DateTimeOffset To, string? SiteCode, string? System, Severity? Severity);

/// <summary>SLA compliance of the faults a filter selects.</summary>
/// <param name="ResponseRate">Responded in time ÷ (responded + breached still unanswered), in percent; null while nothing is decided.</param>
/// <param name="RepairRate">Repaired in time ÷ (repaired + breached still unrepaired), in percent; null while nothing is decided.</param>
/// <param name="OpenBreaches">Clocks past their deadline whose ticket is still not acknowledged or not resolved.</param>
/// <param name="Reopened">Faults reopened at least once after a resolution.</param>
/// <param name="MeanRepairMinutes">From report to resolution, leaving out the time a reopened fault spent resolved.</param>
/// <param name="Requests">Service requests reported in the period (the figures above are of faults).</param>
/// <param name="CompletionRate">Requests completed in time ÷ (completed + late and still open), in percent; the contract asks for 100 %.</param>
public sealed record SlaCompliance(
    string Contract,
    DateTimeOffset From,
    DateTimeOffset To,
    string? SiteCode,
    string? System,
    Severity? Severity,
    long Faults,
    long Responded,
    long RespondedOnTime,
    decimal? ResponseRate,
    long Repaired,
    long RepairedOnTime,
    decimal? RepairRate,
    long OpenBreaches,
    long Reopened,
    decimal? MeanAcknowledgeMinutes,
    decimal? P90AcknowledgeMinutes,
    decimal? MeanRepairMinutes,
    decimal? P90RepairMinutes,
    long Requests,
    long Completed,
    long CompletedOnTime,
    decimal? CompletionRate);

/// <summary>The SLA dashboard, computed from the clock facts scoring keeps of every SLA event.</summary>
public sealed class SlaDashboard(Database database)
{
    private readonly ComplianceSql sql = ComplianceSql.For(database.Provider);

    private sealed record SummaryRow
    {
        public long Faults { get; init; }
        public long Responded { get; init; }
        public long RespondedOnTime { get; init; }
        public long ResponseOpenBreaches { get; init; }
        public long Repaired { get; init; }
        public long RepairedOnTime { get; init; }
        public long RepairOpenBreaches { get; init; }
        public long Reopened { get; init; }
        public double? MeanAcknowledgeMs { get; init; }
        public double? MeanRepairMs { get; init; }
        public long Requests { get; init; }
        public long Completed { get; init; }
        public long CompletedOnTime { get; init; }
        public long CompletionOpenBreaches { get; init; }
    }

    public Task<SlaCompliance> ComplianceAsync(DashboardFilter filter, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async c =>
        {
            var parameters = new DynamicParameters(new
            {
                filter.Contract,
                filter.From,
                filter.To,
                filter.SiteCode,
                filter.System,
                Severity = filter.Severity?.ToString().ToLowerInvariant(),
            });
            var s = await c.QuerySingleAsync<SummaryRow>(sql.Summary, parameters);

            async Task<double?> P90(string clock, long count)
            {
                if (count == 0)
                {
                    return null;
                }

                parameters.Add("Clock", clock);
                parameters.Add("Offset", Percentile.NearestRankIndex(count, 0.9));
                return await c.ExecuteScalarAsync<double?>(sql.ElapsedAtRank, parameters);
            }

            return new SlaCompliance(
                filter.Contract, filter.From, filter.To, filter.SiteCode, filter.System, filter.Severity,
                s.Faults,
                s.Responded,
                s.RespondedOnTime,
                Percentile.Rate(s.RespondedOnTime, s.Responded + s.ResponseOpenBreaches),
                s.Repaired,
                s.RepairedOnTime,
                Percentile.Rate(s.RepairedOnTime, s.Repaired + s.RepairOpenBreaches),
                s.ResponseOpenBreaches + s.RepairOpenBreaches,
                s.Reopened,
                Percentile.Minutes(s.MeanAcknowledgeMs),
                Percentile.Minutes(await P90("response", s.Responded)),
                Percentile.Minutes(s.MeanRepairMs),
                Percentile.Minutes(await P90("repair", s.Repaired)),
                s.Requests,
                s.Completed,
                s.CompletedOnTime,
                Percentile.Rate(s.CompletedOnTime, s.Completed + s.CompletionOpenBreaches));
        }, cancellationToken);
}

/// <summary>Rates and percentiles as the dashboard reports them.</summary>
public static class Percentile
{
    /// <summary>The 0-based position of the <paramref name="fraction"/> percentile among <paramref name="count"/> sorted values (nearest rank).</summary>
    public static long NearestRankIndex(long count, double fraction) =>
        Math.Max(0, (long)Math.Ceiling(fraction * count) - 1);

    /// <summary><paramref name="part"/> of <paramref name="whole"/> in percent, two decimals; null when the whole is zero.</summary>
    public static decimal? Rate(long part, long whole) =>
        whole == 0 ? null : Math.Round(100m * part / whole, 2, MidpointRounding.AwayFromZero);

    public static decimal? Minutes(double? milliseconds) =>
        milliseconds is { } ms ? Math.Round((decimal)ms / 60_000m, 1, MidpointRounding.AwayFromZero) : null;
}
