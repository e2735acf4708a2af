using System.Globalization;

namespace Ops.Hosting.Http;

/// <summary>Durations as people write them in messages: "7 days", "5 seconds", "2 hours 30 minutes"; in Chinese "7天", "5秒", "2小时30分".</summary>
public static class Durations
{
    public static string InWords(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "minus " + InWords(span.Duration());
        }

        var parts = new List<string>();
        void Add(int count, string unit)
        {
            if (count > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {unit}{(count == 1 ? "" : "s")}"));
            }
        }

        Add(span.Days, "day");
        Add(span.Hours, "hour");
        Add(span.Minutes, "minute");
        Add(span.Seconds, "second");
        Add(span.Milliseconds, "millisecond");
        return parts.Count == 0 ? "0 seconds" : string.Join(" ", parts);
    }

    /// <summary>"3天4小时", "2小时15分", "45分", "5秒".</summary>
    public static string InChineseWords(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "负" + InChineseWords(span.Duration());
        }

        var words = string.Concat(
            new[] { (span.Days, "天"), (span.Hours, "小时"), (span.Minutes, "分"), (span.Seconds, "秒"), (span.Milliseconds, "毫秒") }
                .Where(p => p.Item1 > 0)
                .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Item1}{p.Item2}")));
        return words.Length == 0 ? "0秒" : words;
    }

    /// <summary>In the caller's language (<see cref="L10n"/>).</summary>
    public static string ForCaller(TimeSpan span) => L10n.IsChinese ? InChineseWords(span) : InWords(span);
}
