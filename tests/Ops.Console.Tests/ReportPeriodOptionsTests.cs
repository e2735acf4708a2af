using Microsoft.Extensions.Configuration;
using Ops.Console.Services;
using Ops.Hosting.Contracts;
using Ops.Testing;

namespace Ops.Console.Tests;

/// <summary>The periods the report form offers: those begun, with the keys and names scoring gives its report periods.</summary>
public class ReportPeriodOptionsTests
{
    private static ContractsFile File(params (string Key, string Value)[] changes) => ContractsFile.Read(new ConfigurationBuilder()
        .AddJsonFile(SeedContract.File)
        .AddInMemoryCollection(changes.Select(c => new KeyValuePair<string, string?>($"Contracts:{SeedContract.Code}:{c.Key}", c.Value)))
        .Build());

    private static DateTimeOffset Shanghai(int year, int month, int day) => new(year, month, day, 9, 0, 0, TimeSpan.FromHours(8));

    [Test]
    public void TheSeedContract_OffersTheBegunMonths_ItsBegunQuarters_AndItsYear()
    {
        var periods = ReportPage.Periods(File(), SeedContract.Code, Shanghai(2026, 6, 1));

        Assert.That(periods.Where(p => p.Kind == "month").Select(p => p.Key), Is.EqualTo(new[] { "2026-02", "2026-03", "2026-04", "2026-05", "2026-06" }));
        Assert.That(periods.Where(p => p.Kind != "month").Select(p => (p.Kind, p.Key, p.Name)), Is.EqualTo(new[]
        {
            ("quarter", "Q1", "第一季度（2026-02-28 至 2026-05-27）"),
            ("quarter", "Q2", "第二季度（2026-05-28 至 2026-08-27）"),
            ("year", "2026", "2026年度服务期"),
        }));
    }

    [Test]
    public void AContractOfMoreThanAYear_OffersTheQuartersAndTheYearOfEachServiceYear()
    {
        var file = File(("ServiceEnd", "2027-08-31"));
        Assert.That(file.Errors(), Is.Empty);

        var periods = ReportPage.Periods(file, SeedContract.Code, Shanghai(2027, 8, 30));

        Assert.That(periods.Where(p => p.Kind != "month").Select(p => (p.Key, p.Name)), Is.EqualTo(new[]
        {
            ("Q1", "第一季度（2026-02-28 至 2026-05-27）"),
            ("Q2", "第二季度（2026-05-28 至 2026-08-27）"),
            ("Q3", "第三季度（2026-08-28 至 2026-11-27）"),
            ("Q4", "第四季度（2026-11-28 至 2027-02-27）"),
            ("2027-Q1", "2027年度第一季度（2027-02-28 至 2027-05-27）"),
            ("2027-Q2", "2027年度第二季度（2027-05-28 至 2027-08-27）"),
            ("2027-Q3", "2027年度第三季度（2027-08-28 至 2027-08-31）"),
            ("2026", "2026年度服务期"),
            ("2027", "2027年度服务期"),
        }));
        Assert.That(periods.Where(p => p.Kind == "month").Select(p => p.Key).Last(), Is.EqualTo("2027-08"));
    }
}
