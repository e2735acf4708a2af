using Ops.Scoring.Assessment;

namespace Ops.Scoring.Reports;

/// <summary>Gathers a report's figures from the clock facts and the ledger, as of the period's end (or now, while it runs).</summary>
public sealed class ReportBuilder
{
    public Task<ReportFigures> BuildAsync(ContractTerms terms, ReportPeriod period, string? siteCode, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
