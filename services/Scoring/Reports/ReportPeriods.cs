using Ops.Scoring.Assessment;

namespace Ops.Scoring.Reports;

/// <summary>The periods of a contract's service year: Shanghai months, the contract's quarters and the year.</summary>
public static class ReportPeriods
{
    /// <summary>The period <paramref name="key"/> names (<c>2026-03</c>, <c>Q1</c>, <c>2026</c>), or null when the contract has no such period.</summary>
    public static ReportPeriod? Of(ContractTerms terms, ReportKind kind, string key) => throw new NotImplementedException();

    /// <summary>Every period of <paramref name="kind"/> in the service year, in order.</summary>
    public static IReadOnlyList<ReportPeriod> All(ContractTerms terms, ReportKind kind) => throw new NotImplementedException();

    /// <summary>The period of the same kind before <paramref name="period"/>, or null for the first.</summary>
    public static ReportPeriod? Previous(ContractTerms terms, ReportPeriod period) => throw new NotImplementedException();
}
