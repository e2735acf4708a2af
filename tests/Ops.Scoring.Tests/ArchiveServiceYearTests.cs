using Ops.Hosting.Archive;
using Ops.Hosting.Contracts;

namespace Ops.Scoring.Tests;

/// <summary>The service years an archive is made for, counted from the contract's first day.</summary>
public class ArchiveServiceYearTests
{
    private static IReadOnlyList<ServiceYear> YearsOf(DateOnly start, DateOnly end) =>
        ServiceYear.Of("C", new ContractEntry { ServiceStart = start, ServiceEnd = end });

    [Test]
    public void AContractStartingOn29February_StartsItsYearsOn29FebruaryAgainInLeapYears()
    {
        var years = YearsOf(new(2028, 2, 29), new(2033, 2, 27));

        Assert.That(years.Select(y => y.FirstDay), Is.EqualTo(new DateOnly[] { new(2028, 2, 29), new(2029, 2, 28), new(2030, 2, 28), new(2031, 2, 28), new(2032, 2, 29) }));
        Assert.That(years.Select(y => y.LastDay), Is.EqualTo(new DateOnly[] { new(2029, 2, 27), new(2030, 2, 27), new(2031, 2, 27), new(2032, 2, 28), new(2033, 2, 27) }));
        Assert.That(years.Select(y => y.Year), Is.EqualTo(new[] { 2028, 2029, 2030, 2031, 2032 }));
    }

    [Test]
    public void TheYearsOfALongContract_FollowOneAnother_TheLastEndingWithTheContract()
    {
        var years = YearsOf(new(2026, 2, 28), new(2028, 6, 30));

        Assert.That(years.Select(y => y.Describe()), Is.EqualTo(new[] { "2026-02-28 – 2027-02-27", "2027-02-28 – 2028-02-27", "2028-02-28 – 2028-06-30" }));
        Assert.That(years.Zip(years.Skip(1)).Select(p => p.First.To == p.Second.From), Has.All.True);
    }

    [Test]
    public void AOneYearContract_HasOneServiceYear()
    {
        var year = YearsOf(new(2026, 2, 28), new(2027, 2, 27)).Single();

        Assert.That((year.Year, year.FirstDay, year.LastDay), Is.EqualTo((2026, new DateOnly(2026, 2, 28), new DateOnly(2027, 2, 27))));
        Assert.That((year.From, year.To), Is.EqualTo((new DateTimeOffset(2026, 2, 27, 16, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 2, 27, 16, 0, 0, TimeSpan.Zero))));
    }
}
