using System.Globalization;

namespace Ops.Hosting.Archive;

/// <summary>
/// A quarter of a service year, as the reports and the console name it: three months from the contract's start day,
/// each counted from the start (so a 31st start stays its month's last day), the fourth to the end of its service year
/// and the last cut to the service end. The first year's are <c>Q1</c>–<c>Q4</c>, a later year's carry the year it
/// starts in (<c>2027-Q1</c>, 2027年度第一季度).
/// </summary>
public sealed record ServiceQuarter(string Key, string Name, DateOnly FirstDay, DateOnly LastDay)
{
    private static readonly string[] Ordinals = ["一", "二", "三", "四"];

    /// <summary>The start of its first day (Asia/Shanghai), as UTC.</summary>
    public DateTimeOffset From => ServiceYear.StartOfDay(FirstDay);

    /// <summary>The start of the day after its last (Asia/Shanghai), as UTC.</summary>
    public DateTimeOffset To => ServiceYear.StartOfDay(LastDay.AddDays(1));

    /// <summary>The quarters of every service year of a contract, first first.</summary>
    public static IReadOnlyList<ServiceQuarter> Of(string contract, DateOnly serviceStart, DateOnly serviceEnd)
    {
        var quarters = new List<ServiceQuarter>();
        var years = ServiceYear.Of(contract, serviceStart, serviceEnd);
        for (var y = 0; y < years.Count; y++)
        {
            var yearLast = years[y].LastDay;
            for (var q = 0; q < Ordinals.Length; q++)
            {
                var first = serviceStart.AddMonths(12 * y + 3 * q);
                if (first > yearLast)
                {
                    break;
                }

                var dayBeforeNext = serviceStart.AddMonths(12 * y + 3 * (q + 1)).AddDays(-1);
                var last = q == Ordinals.Length - 1 || dayBeforeNext > yearLast ? yearLast : dayBeforeNext;
                var (key, yearPrefix) = y == 0 ? ($"Q{q + 1}", "") : ($"{years[y].Key}-Q{q + 1}", $"{years[y].Key}年度");
                quarters.Add(new(key, string.Create(CultureInfo.InvariantCulture, $"{yearPrefix}第{Ordinals[q]}季度（{first:yyyy-MM-dd} 至 {last:yyyy-MM-dd}）"), first, last));
            }
        }

        return quarters;
    }
}
