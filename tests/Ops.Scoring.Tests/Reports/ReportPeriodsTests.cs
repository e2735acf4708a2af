using Ops.Scoring.Assessment;
using Ops.Scoring.Reports;

namespace Ops.Scoring.Tests.Reports;

/// <summary>The service year's months, quarters and year, at Shanghai midnights (16:00 UTC the day before).</summary>
public class ReportPeriodsTests
{
    private static ContractTerms Terms => Seed.Terms;

    private static DateTimeOffset Midnight(int year, int month, int day) => new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime();

    [Test]
    public void TheMonths_AreShanghaiCalendarMonths_TheFirstAndLastCutToTheServicePeriod()
    {
        var months = ReportPeriods.All(Terms, ReportKind.Month);

        Assert.That(months.Select(m => m.Key), Is.EqualTo(new[]
        {
            "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01", "2027-02",
        }));
        Assert.That((months[0].From, months[0].To), Is.EqualTo((new DateTimeOffset(2026, 2, 27, 16, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 2, 28, 16, 0, 0, TimeSpan.Zero))),
            "2026-02 is 2026-02-28 alone");
        Assert.That((months[1].From, months[1].To), Is.EqualTo((Midnight(2026, 3, 1), Midnight(2026, 4, 1))));
        Assert.That((months[^1].From, months[^1].To), Is.EqualTo((Midnight(2027, 2, 1), Midnight(2027, 2, 28))), "to the end of 2027-02-27, a February of 28 days");
        Assert.That(months.Select(m => m.From.Offset), Is.All.EqualTo(TimeSpan.Zero));
        Assert.That(months.Zip(months.Skip(1)).All(p => p.First.To == p.Second.From), Is.True, "the months follow each other without a gap");
        Assert.That((months[0].Name, months[1].Name, months[^1].Name), Is.EqualTo(("2026年2月", "2026年3月", "2027年2月")));
    }

    [Test]
    public void TheQuarters_AreThreeMonthsEachFromTheStartDay_AndAddUpToTheYear()
    {
        var quarters = ReportPeriods.All(Terms, ReportKind.Quarter);
        var year = ReportPeriods.All(Terms, ReportKind.Year).Single();

        Assert.That(quarters.Select(q => q.Key), Is.EqualTo(new[] { "Q1", "Q2", "Q3", "Q4" }));
        Assert.That(quarters.Select(q => q.From), Is.EqualTo(new[] { Midnight(2026, 2, 28), Midnight(2026, 5, 28), Midnight(2026, 8, 28), Midnight(2026, 11, 28) }));
        Assert.That(quarters[^1].To, Is.EqualTo(Midnight(2027, 2, 28)));
        Assert.That(quarters[0].Name, Is.EqualTo("第一季度（2026-02-28 至 2026-05-27）"));
        Assert.That(quarters[3].Name, Is.EqualTo("第四季度（2026-11-28 至 2027-02-27）"));
        Assert.That(quarters.Zip(quarters.Skip(1)).All(p => p.First.To == p.Second.From), Is.True);
        Assert.That((quarters[0].From, quarters[^1].To), Is.EqualTo((year.From, year.To)), "the quarters cover the year exactly");
        Assert.That((year.Key, year.Name, year.From, year.To), Is.EqualTo(("2026", "2026年度服务期", Terms.Period.From, Terms.Period.To)));
    }

    [Test]
    public void AShorterServicePeriod_CutsTheLastQuarterAndMonth()
    {
        var terms = new ContractTerms { Code = "X", ServiceStart = new DateOnly(2026, 1, 31), ServiceEnd = new DateOnly(2026, 9, 14) };

        var quarters = ReportPeriods.All(terms, ReportKind.Quarter);
        var months = ReportPeriods.All(terms, ReportKind.Month);

        Assert.That(quarters.Select(q => (q.Key, q.From, q.To)), Is.EqualTo(new[]
        {
            ("Q1", Midnight(2026, 1, 31), Midnight(2026, 4, 30)),
            ("Q2", Midnight(2026, 4, 30), Midnight(2026, 7, 31)),
            ("Q3", Midnight(2026, 7, 31), Midnight(2026, 9, 15)),
        }), "each quarter counted from the start day; the third cut to the end; no fourth");
        Assert.That((months[^1].Key, months[^1].From, months[^1].To), Is.EqualTo(("2026-09", Midnight(2026, 9, 1), Midnight(2026, 9, 15))));
    }

    [Test]
    public void AContractOfMoreThanAYear_HasFourQuartersAndAYearReportInEachServiceYear()
    {
        var terms = new ContractTerms { Code = "X", ServiceStart = new DateOnly(2026, 2, 28), ServiceEnd = new DateOnly(2027, 8, 31) };

        var quarters = ReportPeriods.All(terms, ReportKind.Quarter);
        var years = ReportPeriods.All(terms, ReportKind.Year);

        Assert.That(quarters.Select(q => (q.Key, q.From, q.To)), Is.EqualTo(new[]
        {
            ("Q1", Midnight(2026, 2, 28), Midnight(2026, 5, 28)),
            ("Q2", Midnight(2026, 5, 28), Midnight(2026, 8, 28)),
            ("Q3", Midnight(2026, 8, 28), Midnight(2026, 11, 28)),
            ("Q4", Midnight(2026, 11, 28), Midnight(2027, 2, 28)),
            ("2027-Q1", Midnight(2027, 2, 28), Midnight(2027, 5, 28)),
            ("2027-Q2", Midnight(2027, 5, 28), Midnight(2027, 8, 28)),
            ("2027-Q3", Midnight(2027, 8, 28), Midnight(2027, 9, 1)),
        }), "the first year's fourth quarter ends with its year; the second year's third is cut to the service end");
        Assert.That((quarters[3].Name, quarters[4].Name), Is.EqualTo(("第四季度（2026-11-28 至 2027-02-27）", "2027年度第一季度（2027-02-28 至 2027-05-27）")));
        Assert.That(years.Select(y => (y.Key, y.Name, y.From, y.To)), Is.EqualTo(new[]
        {
            ("2026", "2026年度服务期", Midnight(2026, 2, 28), Midnight(2027, 2, 28)),
            ("2027", "2027年度服务期", Midnight(2027, 2, 28), Midnight(2027, 9, 1)),
        }));
        Assert.That(ReportPeriods.Previous(terms, quarters[4])?.Key, Is.EqualTo("Q4"));
        Assert.That(ReportPeriods.Of(terms, ReportKind.Year, "2027")?.To, Is.EqualTo(terms.Period.To));
    }

    [TestCase(ReportKind.Month, "2026-03", "2026年3月")]
    [TestCase(ReportKind.Month, "2026-02", "2026年2月")]
    [TestCase(ReportKind.Quarter, "Q2", "第二季度（2026-05-28 至 2026-08-27）")]
    [TestCase(ReportKind.Year, "2026", "2026年度服务期")]
    public void Of_FindsAPeriodByItsKey(ReportKind kind, string key, string name)
    {
        var period = ReportPeriods.Of(Terms, kind, key);

        Assert.That(period, Is.Not.Null);
        Assert.That((period!.Kind, period.Key, period.Name), Is.EqualTo((kind, key, name)));
    }

    [TestCase(ReportKind.Month, "2026-3")]
    [TestCase(ReportKind.Month, "2026-01")]
    [TestCase(ReportKind.Month, "2027-03")]
    [TestCase(ReportKind.Month, " 2026-03")]
    [TestCase(ReportKind.Month, "2026/03")]
    [TestCase(ReportKind.Month, "Q1")]
    [TestCase(ReportKind.Quarter, "q1")]
    [TestCase(ReportKind.Quarter, "Q5")]
    [TestCase(ReportKind.Quarter, "Q0")]
    [TestCase(ReportKind.Quarter, "2026-03")]
    [TestCase(ReportKind.Year, "2027")]
    [TestCase(ReportKind.Year, "26")]
    [TestCase(ReportKind.Year, "")]
    public void Of_IsNull_ForAKeyTheContractHasNot(ReportKind kind, string key) =>
        Assert.That(ReportPeriods.Of(Terms, kind, key), Is.Null);

    [Test]
    public void Previous_IsTheSameKindsPeriodBefore_AndNullForTheFirst()
    {
        var march = ReportPeriods.Of(Terms, ReportKind.Month, "2026-03")!;
        var q3 = ReportPeriods.Of(Terms, ReportKind.Quarter, "Q3")!;

        Assert.That(ReportPeriods.Previous(Terms, march)?.Key, Is.EqualTo("2026-02"));
        Assert.That(ReportPeriods.Previous(Terms, q3)?.Key, Is.EqualTo("Q2"));
        Assert.That(ReportPeriods.Previous(Terms, ReportPeriods.Of(Terms, ReportKind.Month, "2026-02")!), Is.Null);
        Assert.That(ReportPeriods.Previous(Terms, ReportPeriods.Of(Terms, ReportKind.Year, "2026")!), Is.Null);
    }
}
