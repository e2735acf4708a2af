using System.Globalization;
using Ops.Hosting.Archive;
using Ops.Hosting.Http;
using Ops.Scoring.Assessment;
using Ops.Scoring.Compliance;

namespace Ops.Scoring.Reports;

/// <summary>The periods of a contract's service period: Shanghai months, the quarters and the service years.</summary>
public static class ReportPeriods
{
    /// <summary>The period <paramref name="key"/> names (<c>2026-03</c>, <c>Q1</c>, <c>2027-Q1</c>, <c>2026</c>), or null when the contract has no such period.</summary>
    public static ReportPeriod? Of(ContractTerms terms, ReportKind kind, string key) =>
        All(terms, kind).FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.Ordinal));

    /// <summary>Every period of <paramref name="kind"/> in the service period, in order.</summary>
    public static IReadOnlyList<ReportPeriod> All(ContractTerms terms, ReportKind kind) => kind switch
    {
        ReportKind.Month => Months(terms),
        ReportKind.Quarter => Quarters(terms),
        ReportKind.Year => Years(terms),
        _ => [],
    };

    /// <summary>The period of the same kind before <paramref name="period"/>, or null for the first.</summary>
    public static ReportPeriod? Previous(ContractTerms terms, ReportPeriod period)
    {
        var all = All(terms, period.Kind);
        var index = all.ToList().FindIndex(p => p.Key == period.Key);
        return index > 0 ? all[index - 1] : null;
    }

    /// <summary>Shanghai calendar months, the first and last cut to the service period.</summary>
    private static List<ReportPeriod> Months(ContractTerms terms)
    {
        var (start, end) = terms.Period;
        var months = new List<ReportPeriod>();
        for (var month = ShanghaiCalendar.MonthStartOf(start); month < end; month = ShanghaiCalendar.MonthStartOnOrAfter(month.AddDays(1)))
        {
            var next = ShanghaiCalendar.MonthStartOnOrAfter(month.AddDays(1));
            var local = ShanghaiTimeConverter.ToShanghai(month);
            months.Add(new ReportPeriod(ReportKind.Month, ShanghaiCalendar.MonthKey(month), Max(month, start), Min(next, end))
            {
                Name = string.Create(CultureInfo.InvariantCulture, $"{local.Year}年{local.Month}月"),
            });
        }

        return months;
    }

    /// <summary>The quarters of each service year (<see cref="ServiceQuarter"/>).</summary>
    private static List<ReportPeriod> Quarters(ContractTerms terms) =>
        [.. ServiceQuarter.Of(terms.Code, terms.ServiceStart, terms.ServiceEnd).Select(q => new ReportPeriod(ReportKind.Quarter, q.Key, q.From, q.To)
        {
            Name = q.Name,
        })];

    /// <summary>One per service year, named by the year it starts in.</summary>
    private static List<ReportPeriod> Years(ContractTerms terms) =>
        [.. ServiceYear.Of(terms.Code, terms.ServiceStart, terms.ServiceEnd).Select(y => new ReportPeriod(ReportKind.Year, y.Key, y.From, y.To)
        {
            Name = y.Name,
        })];

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
