using System.Globalization;
using Ops.Hosting.Http;
using Ops.Scoring.Assessment;
using Ops.Scoring.Compliance;

namespace Ops.Scoring.Reports;

/// <summary>The periods of a contract's service year: Shanghai months, the contract's quarters and the year.</summary>
public static class ReportPeriods
{
    private static readonly string[] QuarterNames = ["第一季度", "第二季度", "第三季度", "第四季度"];

    /// <summary>The period <paramref name="key"/> names (<c>2026-03</c>, <c>Q1</c>, <c>2026</c>), or null when the contract has no such period.</summary>
    public static ReportPeriod? Of(ContractTerms terms, ReportKind kind, string key) =>
        All(terms, kind).FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.Ordinal));

    /// <summary>Every period of <paramref name="kind"/> in the service year, in order.</summary>
    public static IReadOnlyList<ReportPeriod> All(ContractTerms terms, ReportKind kind) => kind switch
    {
        ReportKind.Month => Months(terms),
        ReportKind.Quarter => Quarters(terms),
        ReportKind.Year => [Year(terms)],
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

    /// <summary>Three months each from the service start day (each counted from the start, so a 31st start stays its month's last day), the last cut to the service end.</summary>
    private static List<ReportPeriod> Quarters(ContractTerms terms)
    {
        var quarters = new List<ReportPeriod>();
        var endDay = terms.ServiceEnd.AddDays(1);
        for (var q = 0; q < QuarterNames.Length; q++)
        {
            var first = terms.ServiceStart.AddMonths(3 * q);
            if (first >= endDay)
            {
                break;
            }

            // The fourth quarter runs to the service end.
            var next = q == QuarterNames.Length - 1 ? endDay : terms.ServiceStart.AddMonths(3 * (q + 1));
            next = next < endDay ? next : endDay;
            quarters.Add(new ReportPeriod(ReportKind.Quarter, $"Q{q + 1}", StartOf(first), StartOf(next))
            {
                Name = $"{QuarterNames[q]}（{Day(first)} 至 {Day(next.AddDays(-1))}）",
            });
        }

        return quarters;
    }

    private static ReportPeriod Year(ContractTerms terms) =>
        new(ReportKind.Year, terms.ServiceStart.Year.ToString(CultureInfo.InvariantCulture), terms.Period.From, terms.Period.To)
        {
            Name = string.Create(CultureInfo.InvariantCulture, $"{terms.ServiceStart.Year}年度服务期"),
        };

    /// <summary>Midnight of <paramref name="date"/> in Shanghai, as UTC.</summary>
    private static DateTimeOffset StartOf(DateOnly date) =>
        new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), ShanghaiTimeConverter.Offset).ToUniversalTime();

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
