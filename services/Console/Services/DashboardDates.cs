using System.Globalization;

namespace Ops.Console.Services;

/// <summary>The dashboard's period as people pick it: Shanghai calendar days, both included.</summary>
public static class DashboardDates
{
    /// <summary>The start of the day <paramref name="date"/> (<c>yyyy-MM-dd</c>) in Shanghai; null when left out or unreadable (said in <paramref name="errors"/>).</summary>
    public static DateTimeOffset? Start(string? date, string field, List<string> errors) => Parse(date, field, errors);

    /// <summary>The start of the day after <paramref name="date"/>: the period includes the whole last day.</summary>
    public static DateTimeOffset? EndExclusive(string? date, string field, List<string> errors) => Parse(date, field, errors)?.AddDays(1);

    private static DateTimeOffset? Parse(string? date, string field, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(date))
        {
            return null;
        }

        if (DateOnly.TryParseExact(date.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Shanghai.Offset);
        }

        errors.Add($"{field}须为 年-月-日，例如 2026-12-01。");
        return null;
    }
}
