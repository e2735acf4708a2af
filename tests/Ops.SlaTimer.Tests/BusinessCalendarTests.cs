using Ops.SlaTimer.Calendars;

namespace Ops.SlaTimer.Tests;

/// <summary>Working time across China's 2026 holidays and make-up working days, with the shipped holiday file.</summary>
public class BusinessCalendarTests
{
    private static readonly WorkingPeriod[] OfficeHours = [WorkingPeriod.Parse("08:30-12:00"), WorkingPeriod.Parse("14:30-17:30")];

    private static readonly BusinessCalendar Calendar = new(BusinessCalendar.LoadHolidays(Path.Combine(AppContext.BaseDirectory, "Calendars")), OfficeHours);

    private static DateTimeOffset Shanghai(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    [Test]
    public void TheShippedFile_Knows2026()
    {
        Assert.That(Calendar.Years, Does.Contain(2026));
        Assert.That(Calendar.HolidayOf(new DateOnly(2026, 2, 17)), Is.EqualTo("春节"));
    }

    [TestCase("2026-02-28", true, TestName = "The seed contract's first day, Saturday 2026-02-28, is a make-up working day")]
    [TestCase("2026-02-14", true, TestName = "Saturday 2026-02-14 is worked before the Spring Festival")]
    [TestCase("2026-02-23", false, TestName = "Monday 2026-02-23 is the last day of the Spring Festival")]
    [TestCase("2026-01-04", true, TestName = "Sunday 2026-01-04 is worked after New Year")]
    [TestCase("2026-10-07", false, TestName = "Wednesday 2026-10-07 is still National Day")]
    [TestCase("2026-10-10", true, TestName = "Saturday 2026-10-10 is worked after National Day")]
    [TestCase("2026-10-11", false, TestName = "Sunday 2026-10-11 is an ordinary weekend day")]
    [TestCase("2026-11-25", true, TestName = "Wednesday 2026-11-25 is an ordinary working day")]
    public void WhichDaysAreWorked(string date, bool working)
    {
        Assert.That(Calendar.IsWorkingDay(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(working));
    }

    [Test]
    public void FourWorkingHours_FromTheEveOfNationalDay_EndAfterTheHoliday()
    {
        // 1 h 30 min on 30 September (16:00–17:30), then 1–7 October are off: 2 h 30 min more from 08:30 on the 8th.
        Assert.That(Calendar.Add(Shanghai(9, 30, 16), TimeSpan.FromHours(4)), Is.EqualTo(Shanghai(10, 8, 11)));
    }

    [Test]
    public void ADeadlineRunsOnIntoAMakeUpSaturday()
    {
        Assert.That(Calendar.Add(Shanghai(10, 9, 17), TimeSpan.FromHours(2)), Is.EqualTo(Shanghai(10, 10, 10)));
        Assert.That(Calendar.Add(Shanghai(2, 13, 17), TimeSpan.FromHours(1)), Is.EqualTo(Shanghai(2, 14, 9)));
    }

    [Test]
    public void ADeadlineSkipsTheWholeSpringFestival()
    {
        Assert.That(Calendar.Add(Shanghai(2, 14, 17), TimeSpan.FromHours(1)), Is.EqualTo(Shanghai(2, 24, 9)));
    }

    [Test]
    public void TheLunchBreakAndTheNight_DoNotCount()
    {
        Assert.That(Calendar.Add(Shanghai(11, 25, 11), TimeSpan.FromHours(2)), Is.EqualTo(Shanghai(11, 25, 15, 30)));
        Assert.That(Calendar.Add(Shanghai(11, 25, 20), TimeSpan.FromMinutes(30)), Is.EqualTo(Shanghai(11, 26, 9)));
        Assert.That(Calendar.Add(Shanghai(1, 4, 7), TimeSpan.FromHours(1)), Is.EqualTo(Shanghai(1, 4, 9, 30)));
    }

    [Test]
    public void ExactlyAtTheEndOfAPeriod_TheDeadlineIsThatEnd()
    {
        Assert.That(Calendar.Add(Shanghai(11, 25, 8, 30), TimeSpan.FromHours(3.5)), Is.EqualTo(Shanghai(11, 25, 12)));
    }

    [Test]
    public void TheWorkingTimeBetweenTwoMoments_IsWhatAddingItGivesBack()
    {
        var start = Shanghai(9, 30, 16);
        var end = Calendar.Add(start, TimeSpan.FromHours(4));

        Assert.That(Calendar.Between(start, end), Is.EqualTo(TimeSpan.FromHours(4)));
        Assert.That(Calendar.Between(Shanghai(10, 1, 9), Shanghai(10, 7, 17)), Is.EqualTo(TimeSpan.Zero));
        Assert.That(Calendar.Between(end, start), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void AYearWithoutAHolidayFile_KeepsOnlyWeekendsOff()
    {
        var calendar = new BusinessCalendar([], OfficeHours);

        Assert.That(calendar.IsWorkingDay(new DateOnly(2026, 10, 1)), Is.True);
        Assert.That(calendar.IsWorkingDay(new DateOnly(2026, 10, 10)), Is.False);
    }

    [TestCase("8:30-12:00")]
    [TestCase("12:00-08:30")]
    [TestCase("08:30")]
    public void AWorkingPeriodWrittenWrongly_IsRefused(string text)
    {
        Assert.That(() => WorkingPeriod.Parse(text), Throws.InstanceOf<FormatException>());
    }
}
