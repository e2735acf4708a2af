using Ops.Hosting.Http;

namespace Ops.Scoring.Compliance;

/// <summary>
/// The elapsed-time bands of the dashboard's histogram, from under a minute to over a week: a minute wide below an
/// hour, five or ten minutes around the contract's other targets (4 and 24 hours), wider elsewhere. A band holds a
/// count of stopped clocks; the p90 is found in its band by the counts and then exactly among that band's clocks,
/// walked from the band's nearer end, so narrow bands where clocks crowd keep that walk short.
/// </summary>
public static class ElapsedBands
{
    private static readonly int[] LowerMinutes =
    [
        .. Steps(0, 60, 1), .. Steps(60, 180, 10), .. Steps(180, 300, 5), .. Steps(300, 1200, 30), .. Steps(1200, 1560, 10),
        .. Steps(1560, 2880, 60), 2880, 4320, 7200, 10080,
    ];

    private static IEnumerable<int> Steps(int from, int to, int step) => Enumerable.Range(0, (to - from) / step).Select(i => from + (i * step));

    public static int Count => LowerMinutes.Length;

    /// <summary>The band of an elapsed time; a negative one (a clock stopped before it started) is in the first.</summary>
    public static int Of(long elapsedMs)
    {
        var band = Array.BinarySearch(LowerMinutes, (int)Math.Clamp(elapsedMs / 60_000, 0, int.MaxValue));
        return band >= 0 ? band : ~band - 1;
    }

    /// <summary>The elapsed times of band <paramref name="band"/>: [from, to) in milliseconds.</summary>
    public static (long From, long To) Range(int band) => (
        band == 0 ? long.MinValue : LowerMinutes[band] * 60_000L,
        band == Count - 1 ? long.MaxValue : LowerMinutes[band + 1] * 60_000L);

    /// <summary>The column of band <paramref name="band"/> in <c>clock_rollups</c>.</summary>
    public static string Column(int band) => $"h{band:00}";

    public static IEnumerable<string> Columns => Enumerable.Range(0, Count).Select(Column);
}

/// <summary>
/// Counts of clocks that add up: one clock's share, a day's roll-up, or a period's figures. A clock counts
/// once; as stopped (with its elapsed time and band) once stopped; as met in time when stopped met; as an open
/// breach when breached and not stopped; as reopened when its ticket was reopened.
/// </summary>
public sealed class ClockTally
{
    public long Clocks { get; set; }
    public long Stopped { get; set; }
    public long StoppedMet { get; set; }
    public long OpenBreached { get; set; }
    public long Reopened { get; set; }
    public long ElapsedMsSum { get; set; }
    public long[] Bands { get; } = new long[ElapsedBands.Count];

    /// <summary>One clock's share, from the columns <c>clock_facts</c> keeps of it.</summary>
    public static ClockTally Of(string state, bool stopped, long? elapsedMs, long reopens)
    {
        var tally = new ClockTally
        {
            Clocks = 1,
            Stopped = stopped ? 1 : 0,
            StoppedMet = stopped && state == "met" ? 1 : 0,
            OpenBreached = !stopped && state == "breached" ? 1 : 0,
            Reopened = reopens > 0 ? 1 : 0,
            ElapsedMsSum = stopped ? elapsedMs ?? 0 : 0,
        };
        if (stopped)
        {
            tally.Bands[ElapsedBands.Of(elapsedMs ?? 0)] = 1;
        }

        return tally;
    }

    /// <summary>Adds <paramref name="other"/> times <paramref name="sign"/> (−1 takes a clock's old share away).</summary>
    public ClockTally Add(ClockTally other, int sign = 1)
    {
        Clocks += sign * other.Clocks;
        Stopped += sign * other.Stopped;
        StoppedMet += sign * other.StoppedMet;
        OpenBreached += sign * other.OpenBreached;
        Reopened += sign * other.Reopened;
        ElapsedMsSum += sign * other.ElapsedMsSum;
        for (var band = 0; band < Bands.Length; band++)
        {
            Bands[band] += sign * other.Bands[band];
        }

        return this;
    }

    public bool IsEmpty => Clocks == 0 && Stopped == 0 && StoppedMet == 0 && OpenBreached == 0 && Reopened == 0 && ElapsedMsSum == 0 && Bands.All(b => b == 0);
}

/// <summary>
/// A row of <c>clock_rollups</c> a clock counts in: its contract, the Shanghai day or month it was reported
/// in (<see cref="Span"/>, and the UTC time that period starts), and what the dashboard filters and splits by.
/// </summary>
public sealed record RollupKey(string Contract, string Span, DateTimeOffset PeriodStart, string SiteCode, string System, string Severity, string TicketKind, string Clock)
{
    public const string Day = "day";
    public const string Month = "month";

    /// <summary>The day's and the month's row of a clock.</summary>
    public static IEnumerable<RollupKey> Of(string contract, DateTimeOffset reportedAt, string siteCode, string system, string severity, string ticketKind, string clock)
    {
        yield return new(contract, Day, ShanghaiCalendar.DayStartOf(reportedAt), siteCode, system, severity, ticketKind, clock);
        yield return new(contract, Month, ShanghaiCalendar.MonthStartOf(reportedAt), siteCode, system, severity, ticketKind, clock);
    }
}

/// <summary>Shanghai calendar days and months (UTC+8 all year), as the UTC times they start.</summary>
public static class ShanghaiCalendar
{
    public static DateTimeOffset DayStartOf(DateTimeOffset time)
    {
        var local = ShanghaiTimeConverter.ToShanghai(time);
        return new DateTimeOffset(local.Date, local.Offset).ToUniversalTime();
    }

    public static DateTimeOffset MonthStartOf(DateTimeOffset time)
    {
        var local = ShanghaiTimeConverter.ToShanghai(time);
        return new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, local.Offset).ToUniversalTime();
    }

    /// <summary>The Shanghai month of <paramref name="time"/> as <c>clock_facts.report_month</c> keeps it: <c>yyyy-MM</c>.</summary>
    public static string MonthKey(DateTimeOffset time) =>
        ShanghaiTimeConverter.ToShanghai(time).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The first start of a day at or after <paramref name="time"/>.</summary>
    public static DateTimeOffset DayStartOnOrAfter(DateTimeOffset time) =>
        DayStartOf(time) is var start && start == time ? start : DayStartOf(start.AddHours(36));

    /// <summary>The first start of a month at or after <paramref name="time"/>.</summary>
    public static DateTimeOffset MonthStartOnOrAfter(DateTimeOffset time) =>
        MonthStartOf(time) is var start && start == time ? start : MonthStartOf(start.AddDays(40));
}
