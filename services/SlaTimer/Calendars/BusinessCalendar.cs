using System.Globalization;
using System.Text.Json;
using Ops.Hosting.Http;

namespace Ops.SlaTimer.Calendars;

/// <summary>One year of the State Council's holiday notice: the days off and the weekend days worked instead (调休).</summary>
public sealed class HolidayYear
{
    public int Year { get; set; }

    /// <summary>Where the dates come from, e.g. the notice's title and date.</summary>
    public string Source { get; set; } = "";

    public List<HolidaySpan> Holidays { get; set; } = [];

    public List<MakeUpWorkday> Workdays { get; set; } = [];
}

/// <summary>Days off, first and last inclusive.</summary>
public sealed class HolidaySpan
{
    public string Name { get; set; } = "";
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
}

/// <summary>A Saturday or Sunday that is worked (调休).</summary>
public sealed class MakeUpWorkday
{
    public string Name { get; set; } = "";
    public DateOnly Date { get; set; }
}

/// <summary>A stretch of working time within a working day, in Asia/Shanghai time, e.g. 08:30–12:00.</summary>
public readonly record struct WorkingPeriod(TimeOnly Start, TimeOnly End)
{
    /// <summary>Reads <c>08:30-12:00</c>.</summary>
    public static WorkingPeriod Parse(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            || end <= start)
        {
            throw new FormatException($"A working period is written like 08:30-12:00, not '{text}'.");
        }

        return new WorkingPeriod(start, end);
    }
}

/// <summary>
/// Working time in Asia/Shanghai: Monday to Friday and the make-up working days, less the public
/// holidays, within the working periods of the day. A clock on this calendar counts only working
/// time: 4 working hours from Wednesday 2026-09-30 16:00 end on Thursday 2026-10-08 at 11:00, after
/// the National Day holiday. For a year without a holiday file only weekends are days off.
/// </summary>
public sealed class BusinessCalendar
{
    private readonly Dictionary<DateOnly, string> holidays = [];
    private readonly HashSet<DateOnly> makeUpWorkdays = [];
    private readonly IReadOnlyList<WorkingPeriod> periods;

    public BusinessCalendar(IEnumerable<HolidayYear> years, IReadOnlyList<WorkingPeriod> periods)
    {
        if (periods.Count == 0)
        {
            throw new ArgumentException("A business calendar needs at least one working period.", nameof(periods));
        }

        this.periods = [.. periods.OrderBy(p => p.Start)];
        foreach (var year in years)
        {
            Years.Add(year.Year);
            foreach (var span in year.Holidays)
            {
                for (var day = span.From; day <= span.To; day = day.AddDays(1))
                {
                    holidays[day] = span.Name;
                }
            }

            makeUpWorkdays.UnionWith(year.Workdays.Select(w => w.Date));
        }
    }

    /// <summary>The years whose holidays are known.</summary>
    public SortedSet<int> Years { get; } = [];

    /// <summary>Reads every <c>*.json</c> holiday file of <paramref name="directory"/> (one per year; an administrator replaces or adds them).</summary>
    public static IReadOnlyList<HolidayYear> LoadHolidays(string directory) =>
        Directory.Exists(directory)
            ? [.. Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal)
                .Select(file => JsonSerializer.Deserialize<HolidayYear>(File.ReadAllText(file))
                    ?? throw new FormatException($"{file} holds no holiday year."))]
            : [];

    public bool IsWorkingDay(DateOnly day) =>
        !holidays.ContainsKey(day) && (makeUpWorkdays.Contains(day) || day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));

    /// <summary>The holiday a day belongs to, if any.</summary>
    public string? HolidayOf(DateOnly day) => holidays.GetValueOrDefault(day);

    /// <summary>The moment <paramref name="workingTime"/> of working time after <paramref name="start"/> has passed.</summary>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan workingTime)
    {
        var local = ShanghaiTimeConverter.ToShanghai(start);
        var remaining = workingTime;
        var day = DateOnly.FromDateTime(local.DateTime);
        var cursor = local.DateTime;
        for (var guard = 0; guard < 3700; guard++, day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                foreach (var period in periods)
                {
                    var from = day.ToDateTime(period.Start);
                    var to = day.ToDateTime(period.End);
                    if (cursor >= to)
                    {
                        continue;
                    }

                    var segmentStart = cursor > from ? cursor : from;
                    var available = to - segmentStart;
                    if (remaining <= available)
                    {
                        return new DateTimeOffset(segmentStart + remaining, local.Offset).ToUniversalTime();
                    }

                    remaining -= available;
                    cursor = to;
                }
            }

            cursor = day.AddDays(1).ToDateTime(TimeOnly.MinValue);
        }

        throw new InvalidOperationException($"{workingTime} of working time does not fit in ten years of the calendar.");
    }

    /// <summary>The working time between two moments (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public TimeSpan Between(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        var start = ShanghaiTimeConverter.ToShanghai(from).DateTime;
        var end = ShanghaiTimeConverter.ToShanghai(to).DateTime;
        var total = TimeSpan.Zero;
        for (var day = DateOnly.FromDateTime(start); day <= DateOnly.FromDateTime(end); day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }

            foreach (var period in periods)
            {
                var segmentStart = Max(day.ToDateTime(period.Start), start);
                var segmentEnd = Min(day.ToDateTime(period.End), end);
                if (segmentEnd > segmentStart)
                {
                    total += segmentEnd - segmentStart;
                }
            }
        }

        return total;
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
