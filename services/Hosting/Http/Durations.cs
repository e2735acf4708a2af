using System.Globalization;

namespace Ops.Hosting.Http;

/// <summary>Durations as people write them in messages: "7 days", "5 seconds", "2 hours 30 minutes".</summary>
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
}
