using System.Globalization;
using Ops.Hosting.Archive;
using Ops.Hosting.Contracts;

namespace Ops.Console.Services;

/// <summary>The words of the report pages, and the periods a manager may generate a report for.</summary>
public static class ReportPage
{
    /// <summary>The kinds in the order offered: the API's value and its name.</summary>
    public static readonly IReadOnlyList<(string Value, string Name)> Kinds = [("month", "月报"), ("quarter", "季报"), ("year", "年度报告")];

    public static string KindName(string kind) => Kinds.FirstOrDefault(k => k.Value == kind).Name ?? kind;

    /// <summary>A period to choose in the generate form: its kind, its key as the API takes it (2026-03, Q1, 2027-Q1, 2026) and its name.</summary>
    public sealed record PeriodOption(string Kind, string Key, string Name)
    {
        /// <summary>The form's one value for kind and period together.</summary>
        public string Value => $"{Kind}:{Key}";
    }

    /// <summary>
    /// The contract's periods that have begun by <paramref name="now"/>, from its service period in <c>contracts.json</c>: the Shanghai
    /// months (the first and last cut to the service period), the four quarters of each service year, three months each from the
    /// start day (a later year's keyed 2027-Q1), and each service year, as scoring's report periods are.
    /// </summary>
    public static IReadOnlyList<PeriodOption> Periods(ContractsFile file, string contract, DateTimeOffset now)
    {
        if (file.Usable.GetValueOrDefault(contract) is not { } terms)
        {
            return [];
        }

        var (start, end) = (terms.ServiceStart, terms.ServiceEnd);

        var today = DateOnly.FromDateTime(now.ToOffset(Shanghai.Offset).DateTime);
        var periods = new List<PeriodOption>();
        for (var month = new DateOnly(start.Year, start.Month, 1); month <= end && month <= today; month = month.AddMonths(1))
        {
            periods.Add(new("month", month.ToString("yyyy-MM", CultureInfo.InvariantCulture), $"{month.Year}年{month.Month}月"));
        }

        foreach (var quarter in ServiceQuarter.Of(contract, start, end).Where(q => q.FirstDay <= today))
        {
            periods.Add(new("quarter", quarter.Key, quarter.Name));
        }

        foreach (var year in ServiceYear.Of(contract, start, end).Where(y => y.FirstDay <= today))
        {
            periods.Add(new("year", year.Key, year.Name));
        }

        return periods;
    }

    /// <summary>The period offered first: the month that ended last, else the running one.</summary>
    public static PeriodOption? Suggested(IReadOnlyList<PeriodOption> periods)
    {
        var months = periods.Where(p => p.Kind == "month").ToList();
        return months.Count switch
        {
            0 => periods.FirstOrDefault(),
            1 => months[0],
            _ => months[^2],
        };
    }

    /// <summary>A file's size as people read it: 860 B, 12.4 KB, 3.1 MB.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024m).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / 1024m / 1024m).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
    };

    /// <summary>The SHA-256's first 12 hex digits: enough to tell versions apart on a screen.</summary>
    public static string ShortSha(string sha256) => sha256.Length > 12 ? sha256[..12] : sha256;

    /// <summary>The report's scope: one site, or the whole contract.</summary>
    public static string Scope(string? siteCode) => siteCode ?? "全合同";

    public static string Rate(decimal? rate) => rate is { } r ? r.ToString("0.##", CultureInfo.InvariantCulture) + "%" : "—";

    public static string Minutes(decimal? minutes) => minutes is { } m ? m.ToString("0.#", CultureInfo.InvariantCulture) + " 分钟" : "—";

    /// <summary>An overrun as people read it: 2 小时 5 分, 1 天 3 小时 0 分.</summary>
    public static string Overrun(TimeSpan overrun) =>
        (overrun.Days > 0 ? $"{overrun.Days} 天 " : "") + $"{overrun.Hours} 小时 {overrun.Minutes} 分";

    public static string SeverityName(string kind, string? severity) => kind == "request" ? "服务请求" : severity switch
    {
        "severe" => "严重故障",
        "general" => "一般故障",
        _ => severity ?? "",
    };

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
